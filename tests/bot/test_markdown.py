from __future__ import annotations

from bot.markdown import to_card_markdown, to_plain_text
from knowledge import PolicyReference


def test_placeholder_link_becomes_text() -> None:
    assert to_card_markdown("See the [Social Media FAQ's 1.2](#).") == "See the Social Media FAQ's 1.2."


def test_placeholder_link_uses_a_url_from_the_corpus() -> None:
    reference = PolicyReference(name="Attendance Policy FAQ", section="7.8", url="https://intranet.example/att")
    assert (
        to_card_markdown("Under the [Attendance Policy FAQ 7.8](#).", [reference])
        == "Under the [Attendance Policy FAQ 7.8](https://intranet.example/att)."
    )


def test_mailto_and_autolinks() -> None:
    text = "Mail [Data \\(IG\\)](mailto:ig@example.org) or read <https://www.gov.uk/x>"
    assert (
        to_card_markdown(text)
        == "Mail [Data (IG)](mailto:ig@example.org) or read [https://www.gov.uk/x](https://www.gov.uk/x)"
    )
    assert to_plain_text(text) == "Mail Data (IG) or read https://www.gov.uk/x"
