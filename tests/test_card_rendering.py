"""Every card the bot sends, parsed and rendered by the official Adaptive Cards renderer.

Runs tools/render_cards.mjs (npm `adaptivecards` in headless Chromium, as a version-1.5 host like
Teams); `make tools` installs it. Zero warnings is the bar, and so are zero clipped button titles and
zero raw markdown, measured on the rendered page (a title wider than its button or running past the
card; `[text](target)` or `**` left in the text staff read).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from knowledge import Corpus
from tests.card_gallery import gallery

TOOLS = Path(__file__).resolve().parent.parent / "tools"
TEAMS_LIMIT = 28 * 1024


def render(cards: list[dict[str, Any]], tmp_path: Path) -> tuple[int, dict[str, Any]]:
    source = tmp_path / "cards.json"
    source.write_text(json.dumps(cards), encoding="utf-8")
    node = shutil.which("node")
    assert node, "Node 20 is required for the renderer check (see README: make tools)"
    result = subprocess.run(  # noqa: S603
        [node, str(TOOLS / "render_cards.mjs"), str(source), str(tmp_path / "png")],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.stdout, result.stderr
    return result.returncode, json.loads(result.stdout)


def test_every_card_renders_with_no_warnings(corpus: Corpus, tmp_path: Path) -> None:
    cards = gallery(corpus)
    status, report = render(cards, tmp_path)
    problems = {name: r for name, r in report["cards"].items() if r["warnings"] or r["errors"]}
    assert problems == {}
    assert status == 0
    assert sorted(report["cards"]) == sorted(c["name"] for c in cards)
    assert all((tmp_path / "png" / f"{c['name']}.png").is_file() for c in cards)
    for card in cards:
        assert card["card"]["version"] == "1.5"
        assert len(json.dumps(card["card"]).encode()) < TEAMS_LIMIT - 2048, card["name"]


def test_no_button_title_is_clipped_and_no_markdown_is_left_raw(corpus: Corpus, tmp_path: Path) -> None:
    cards = gallery(corpus)
    _, report = render(cards, tmp_path)
    rendered = {name: r for name, r in report["cards"].items() if name != "(browser console)"}
    assert len(rendered) == len(cards)
    assert {name: r["clipped"] for name, r in rendered.items() if r["clipped"]} == {}
    assert {name: r["rawMarkdown"] for name, r in rendered.items() if r["rawMarkdown"]} == {}
    # The e-mail link in an approved answer is a link staff can click, with the answer's own words.
    links = report["cards"]["answer-whatsapp-team-updates-personal-phone"]["links"]
    assert {
        "text": "Data Security, Privacy and Records Management (prev Information Governance)",
        "href": "mailto:InformationSecurity@nhsbt.nhs.uk",
    } in links
    assert any(
        link["href"].startswith("https://www.gov.uk/")
        for link in report["cards"]["answer-tiktok-government-restrictions"]["links"]
    )


def test_the_clipping_and_markdown_measures_can_fail(tmp_path: Path) -> None:
    long_title = "Should a member of staff be absent through sickness and you became aware of behaviour"
    card = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [
            {"type": "TextBlock", "text": "See [the policy](ftp://example.org/policy) and 2 ** 3", "wrap": True},
            {"type": "ActionSet", "actions": [{"type": "Action.Submit", "title": long_title, "data": {}}]},
        ],
    }
    status, report = render([{"name": "clipped", "card": card}], tmp_path)
    assert status == 1
    assert report["cards"]["clipped"]["clipped"] == [long_title]
    assert len(report["cards"]["clipped"]["rawMarkdown"]) == 1


def test_the_renderer_check_can_fail(tmp_path: Path) -> None:
    newer = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [
            {"type": "Carousel", "pages": []},  # a 1.6 element Teams would not render
            {"type": "Input.Text", "id": "x", "isRequired": True},  # required input without a label
        ],
    }
    status, report = render([{"name": "bad", "card": newer}], tmp_path)
    assert status == 1
    assert report["cards"]["bad"]["warnings"]
