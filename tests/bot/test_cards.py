from __future__ import annotations

import json

import pytest

from bot import Answer, CardSettings, Clarify, NoAnswer, Notice, NoticeKind, SmallTalk, SmallTalkKind, render
from bot.cards import CARD_VERSION
from bot.replies import Vote
from knowledge import Corpus, Entry
from tests.fake_connector import card_text
from tests.organisations import NHSBT

HR = CardSettings(NHSBT, hr_direct_url="https://teams.microsoft.com/l/chat/0/0?users=hr@example.org")
MAX_BYTES = 28 * 1024


def entry(corpus: Corpus, entry_id: str) -> Entry:
    found = corpus.entry(entry_id)
    assert found is not None
    return found


def actions(card: dict) -> list[dict]:
    found = list(card.get("actions", []))
    for element in card["body"]:
        found.extend(element.get("actions", []))
    return found


def test_answer_card_shows_the_approved_answer_and_its_reference(corpus: Corpus) -> None:
    tiktok = entry(corpus, "work-email-for-personal-use")
    message = render(Answer(tiktok, 0.95), HR)
    card = message.card
    assert card is not None and card["version"] == CARD_VERSION == "1.5"
    text = card_text(card)
    assert card["body"][0]["text"] == tiktok.question
    assert "the Blue Light Card registration" in text
    assert "POL19 IT Acceptable Use Policy" in text
    assert "Employment Policy & Social Media Team" in text
    assert "June 2024" in text
    assert "POL19 IT Acceptable Use Policy" in message.summary


def test_answer_paragraphs_are_the_approved_words(corpus: Corpus) -> None:
    for item in corpus.entries:
        card = render(Answer(item, 1.0), HR).card
        assert card is not None
        shown = " ".join(block["text"] for block in card["body"][1:] if block["type"] == "TextBlock")
        # Link markup aside, every word of the approved answer is on the card, in order.
        approved = item.answer.replace("](#)", "").replace("[", "").replace("\\(", "(").replace("\\)", ")")
        for word in approved.split():
            if word.startswith(("<https", "(mailto", "Governance)](mailto")):
                continue
            assert word.strip("[]()") in shown, (item.id, word)


def test_placeholder_links_are_not_rendered_as_links(corpus: Corpus) -> None:
    card = render(Answer(entry(corpus, "sickness-absence-checking-in"), 1.0), HR).card
    assert card is not None
    assert "](#)" not in json.dumps(card)
    assert card["body"][1]["text"] == "This is covered under the Attendance Policy FAQ 7.8."


def test_real_links_stay_links(corpus: Corpus) -> None:
    card = render(Answer(entry(corpus, "tiktok-government-restrictions"), 1.0), HR).card
    assert card is not None
    assert "[https://www.gov.uk/government/news/" in card_text(card)


def test_answer_card_offers_hr_direct_and_related_questions(corpus: Corpus) -> None:
    related = entry(corpus, "personal-facebook-testimonial")
    card = render(Answer(entry(corpus, "what-is-a-social-media-profile"), 1.0, (related,)), HR).card
    assert card is not None
    assert ("Action.OpenUrl", "Ask HR Direct") in {(a["type"], a["title"]) for a in actions(card)}
    submits = [a for a in actions(card) if a["type"] == "Action.Submit"]
    assert [a["data"]["entry"] for a in submits] == [related.id]
    assert submits[0]["title"] == related.short_title == "Testimonials on personal Facebook"
    assert card["body"][0]["text"] == entry(corpus, "what-is-a-social-media-profile").question


def test_an_entry_without_a_short_title_is_offered_as_its_whole_question_wrapped(corpus: Corpus) -> None:
    untitled = entry(corpus, "sickness-absence-checking-in").model_copy(update={"short_title": None})
    card = render(Clarify((untitled, entry(corpus, "liking-posts"))), HR).card
    assert card is not None
    choice = next(block for block in card["body"] if block.get("selectAction"))
    assert choice["selectAction"]["data"]["entry"] == untitled.id
    assert choice["items"][0]["wrap"] is True
    assert untitled.question in choice["items"][0]["text"]  # whole, not cut off
    titles = [a["title"] for a in actions(card) if a["type"] == "Action.Submit"]
    assert titles == ["Can liking a post be a concern?"]


def test_did_you_mean_is_one_offer_with_the_helpdesk_for_when_none_fits(corpus: Corpus) -> None:
    candidates = (entry(corpus, "sar-how-far-back"), entry(corpus, "sar-individuals-informed"))
    for reply in (Clarify(candidates), Clarify(candidates, ambiguous=True)):
        message = render(reply, HR)
        assert message.card is not None
        text = card_text(message.card)
        assert "don't have an approved answer" not in text and "Sorry" not in text
        assert "If none of these is what you asked, HR Direct, the HR helpdesk, can help." in text
        assert "If none of these" in message.card["fallbackText"]
        assert [a["title"] for a in message.card["actions"]] == ["Ask HR Direct"]


def test_clarify_card_lists_candidates_as_buttons(corpus: Corpus) -> None:
    candidates = (entry(corpus, "sar-how-far-back"), entry(corpus, "sar-individuals-informed"))
    card = render(Clarify(candidates), HR).card
    assert card is not None
    submits = [a for a in actions(card) if a["type"] == "Action.Submit"]
    assert [a["data"]["entry"] for a in submits] == ["sar-how-far-back", "sar-individuals-informed"]
    assert "Did you mean" in card_text(card)
    assert any(a["type"] == "Action.OpenUrl" for a in actions(card))


def test_no_answer_card_offers_only_hr_direct() -> None:
    message = render(NoAnswer(), HR)
    assert message.card is not None
    assert [a["title"] for a in actions(message.card)] == ["Ask HR Direct"]
    assert "don't have an approved answer" in message.summary


def test_without_a_configured_route_the_card_still_names_hr_direct() -> None:
    card = render(NoAnswer(), CardSettings(NHSBT)).card
    assert card is not None
    assert actions(card) == []
    assert "HR Direct" in card_text(card)


@pytest.mark.parametrize("reply", [SmallTalk(SmallTalkKind.GREETING), Notice(NoticeKind.TOO_LONG)])
def test_small_talk_and_notices_are_plain_text(reply: SmallTalk | Notice) -> None:
    message = render(reply, HR)
    assert message.card is None
    assert message.text


def test_every_card_fits_teams_limits(corpus: Corpus) -> None:
    for item in corpus.entries:
        card = render(Answer(item, 1.0, tuple(corpus.entries[:3])), HR).card
        assert card is not None
        assert len(json.dumps(card).encode()) < MAX_BYTES
        assert card["fallbackText"].startswith(item.question)


def feedback_buttons(card: dict) -> list[dict]:
    (row,) = [
        block
        for block in card["body"]
        if block.get("type") == "ActionSet"
        and any(a.get("verb") == "feedback" or a["type"] == "Action.ShowCard" for a in block["actions"])
    ]
    return row["actions"]


@pytest.mark.parametrize(("vote", "chosen"), [(Vote.UP, 0), (Vote.DOWN, 1)])
def test_the_voted_card_marks_the_vote_given_and_keeps_both_buttons(corpus: Corpus, vote: Vote, chosen: int) -> None:
    answer = entry(corpus, "sar-how-far-back")
    before = feedback_buttons(render(Answer(answer, 1.0), HR).card or {})
    after = feedback_buttons(render(Answer(answer, 1.0, feedback=vote), HR).card or {})
    assert [b["title"] for b in before] == ["👍 Yes", "👎 No"]
    assert all("style" not in b for b in before)
    titles = [b["title"] for b in after]
    assert titles[chosen].startswith("✓ ") and not titles[1 - chosen].startswith("✓")
    assert after[chosen]["style"] == "positive" and "style" not in after[1 - chosen]
    assert titles[0] != titles[1].replace("No", "Yes")  # no longer two look-alike buttons
    up = after[0]
    assert up["data"] == {"action": "feedback", "entry": answer.id, "vote": "up"}
    assert up["fallback"]["data"] == up["data"] and up["fallback"]["title"] == up["title"]


def test_answers_written_by_hr_carry_no_ai_label(corpus: Corpus) -> None:
    card = render(Answer(entry(corpus, "sar-how-far-back"), 1.0, feedback=Vote.UP), HR).card
    text = json.dumps(card).lower()
    assert "ai-generated" not in text and "ai generated" not in text and "feedbackloop" not in text


def test_choices_from_several_documents_each_name_their_document_under_them(corpus: Corpus) -> None:
    ours = entry(corpus, "sar-how-far-back")
    assert ours.document
    other = entry(corpus, "liking-posts").model_copy(
        update={"document": "Attendance and Sickness Absence: Questions and Answers"}
    )
    message = render(Clarify((ours, other)), HR)
    assert message.card is not None
    body = message.card["body"]
    rows = [
        block["actions"][0]["data"]["entry"] if block["type"] == "ActionSet" else block.get("text")
        for block in body
        if block["type"] == "ActionSet" or block.get("isSubtle")
    ]
    assert rows == [ours.id, ours.document, other.id, other.document]
    assert f"- {other.question} ({other.document})" in message.card["fallbackText"]

    one_document = render(Clarify((ours, entry(corpus, "liking-posts"))), HR).card
    assert one_document is not None
    assert ours.document not in card_text(one_document)
