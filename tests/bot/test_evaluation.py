from __future__ import annotations

import pytest

from bot import Dialogue, DialogueSettings
from bot.evaluation import Outcome, Targets, evaluate
from knowledge import Corpus, Entry, Match
from knowledge.evaluation import LabelledQuestion


class ScriptedKnowledge:
    """A fake knowledge source: each question gets the scores written for it in the test."""

    def __init__(self, corpus: Corpus, script: dict[str, dict[str, float]]) -> None:
        self._corpus = corpus
        self._by_id = {e.id: e for e in corpus.entries}
        self._script = script

    def rank(self, question: str, *, limit: int = 3) -> tuple[Match, ...]:
        scores = sorted(self._script.get(question, {}).items(), key=lambda kv: kv[1], reverse=True)
        return tuple(Match(entry=self._by_id[i], confidence=c) for i, c in scores[:limit])

    def entry(self, entry_id: str) -> Entry | None:
        return self._corpus.entry(entry_id)


@pytest.fixture
def scripted(corpus: Corpus) -> Dialogue:
    script = {
        "right": {"liking-posts": 0.9},
        "wrong": {"freedom-of-opinion": 0.9},
        "unsure": {"liking-posts": 0.6, "freedom-of-opinion": 0.55},
        "nothing": {},
        "leave": {"liking-posts": 0.9},
        "weather": {"liking-posts": 0.2},
    }
    settings = DialogueSettings(answer_at=0.8, suggest_at=0.5, ambiguity_gap=0.05)
    return Dialogue(ScriptedKnowledge(corpus, script), settings)


QUESTIONS = (
    LabelledQuestion("right", "liking-posts"),
    LabelledQuestion("wrong", "liking-posts"),
    LabelledQuestion("unsure", "liking-posts"),
    LabelledQuestion("nothing", "liking-posts"),
    LabelledQuestion("leave", None),
    LabelledQuestion("weather", None),
    LabelledQuestion("hello", None),  # small talk: no answer card, so escalated
)


async def test_outcomes_follow_the_definitions(scripted: Dialogue) -> None:
    report = await evaluate(scripted, QUESTIONS)
    assert [r.outcome for r in report.results] == [
        Outcome.CORRECT,
        Outcome.WRONG,
        Outcome.CLARIFIED,
        Outcome.MISSED,
        Outcome.WRONG,
        Outcome.ESCALATED,
        Outcome.ESCALATED,
    ]
    assert report.results[2].offered == ("liking-posts", "freedom-of-opinion")


async def test_rates_and_confusions(scripted: Dialogue) -> None:
    report = await evaluate(scripted, QUESTIONS)
    assert (report.in_scope, report.out_of_scope) == (4, 3)
    assert report.correct_rate == pytest.approx(1 / 4)
    assert report.clarified_rate == pytest.approx(1 / 4)
    assert report.missed_rate == pytest.approx(1 / 4)
    assert report.wrong_rate == pytest.approx(2 / 7)
    assert report.escalated_rate == pytest.approx(2 / 3)
    assert report.overall_rate == pytest.approx(3 / 7)
    assert report.confusions() == {("liking-posts", "freedom-of-opinion"): 1, ("out-of-scope", "liking-posts"): 1}
    assert [r.item.question for r in report.failures()] == ["wrong", "unsure", "nothing", "leave"]


async def test_shortfalls_name_each_missed_target(scripted: Dialogue) -> None:
    report = await evaluate(scripted, QUESTIONS)
    assert report.shortfalls(Targets(min_correct=0.25, max_wrong=0.3, min_escalated=0.6)) == ()
    missed = report.shortfalls(Targets())
    assert [line.split(" ")[0] for line in missed] == ["answered", "wrong", "out-of-scope"]


async def test_progress_is_reported_after_each_question(scripted: Dialogue) -> None:
    seen: list[int] = []
    await evaluate(scripted, QUESTIONS[:3], seen.append)
    assert seen == [1, 2, 3]
