"""Measure the dialogue on labelled questions, through the same decision path staff meet.

Definitions (as in the product's targets):
- answered correctly: an in-scope question gets an Answer with the expected entry;
- clarified: an in-scope question gets a "Did you mean…?" (neither correct nor wrong);
- wrong: an Answer with another entry, or any Answer to an out-of-scope question;
- escalated: an out-of-scope question gets no answer card (NoAnswer or Clarify).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum

from bot.dialogue import Dialogue
from bot.inbound import Inbound, Sender
from bot.replies import Answer, Clarify, Reply
from knowledge.evaluation import LabelledQuestion

_SENDER = Sender(id="evaluation")


class Outcome(str, Enum):
    CORRECT = "correct"
    CLARIFIED = "clarified"
    MISSED = "missed"  # in scope, but no answer and no suggestion
    WRONG = "wrong"
    ESCALATED = "escalated"


@dataclass(frozen=True)
class Result:
    """What happened to one labelled question. `answered` is the entry id shown, if any."""

    item: LabelledQuestion
    outcome: Outcome
    answered: str | None
    offered: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.outcome not in (Outcome.CORRECT, Outcome.ESCALATED)


@dataclass(frozen=True)
class Targets:
    """The rates a labelled set must reach; the defaults are the product's targets."""

    min_correct: float = 0.95
    max_wrong: float = 0.01
    min_escalated: float = 0.97


@dataclass(frozen=True)
class Report:
    """Rates over a labelled set, and every result for the failure list and confusions."""

    results: tuple[Result, ...]

    @property
    def in_scope(self) -> int:
        return sum(1 for r in self.results if r.item.in_scope)

    @property
    def out_of_scope(self) -> int:
        return len(self.results) - self.in_scope

    def _count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.results if r.outcome is outcome)

    @property
    def correct_rate(self) -> float:
        """Share of in-scope questions answered with the expected entry."""
        return self._count(Outcome.CORRECT) / self.in_scope if self.in_scope else 1.0

    @property
    def clarified_rate(self) -> float:
        """Share of in-scope questions answered by 'Did you mean…?'."""
        return self._count(Outcome.CLARIFIED) / self.in_scope if self.in_scope else 0.0

    @property
    def missed_rate(self) -> float:
        """Share of in-scope questions sent to the HR helpdesk without a suggestion."""
        return self._count(Outcome.MISSED) / self.in_scope if self.in_scope else 0.0

    @property
    def wrong_rate(self) -> float:
        """Share of ALL questions given a wrong answer card."""
        return self._count(Outcome.WRONG) / len(self.results) if self.results else 0.0

    @property
    def escalated_rate(self) -> float:
        """Share of out-of-scope questions given no answer card."""
        return self._count(Outcome.ESCALATED) / self.out_of_scope if self.out_of_scope else 1.0

    @property
    def overall_rate(self) -> float:
        """Answered correctly plus out-of-scope escalated, over all questions."""
        good = self._count(Outcome.CORRECT) + self._count(Outcome.ESCALATED)
        return good / len(self.results) if self.results else 1.0

    def confusions(self) -> Counter[tuple[str, str]]:
        """(expected, answered) pairs of wrong answers; out of scope is expected 'out-of-scope'."""
        return Counter(
            (r.item.expected or "out-of-scope", r.answered or "") for r in self.results if r.outcome is Outcome.WRONG
        )

    def failures(self) -> tuple[Result, ...]:
        return tuple(r for r in self.results if r.failed)

    def shortfalls(self, targets: Targets) -> tuple[str, ...]:
        """One line per target not met; empty when all are met."""
        lines = []
        if self.correct_rate < targets.min_correct:
            lines.append(f"answered correctly {self.correct_rate:.1%} < {targets.min_correct:.1%}")
        if self.wrong_rate > targets.max_wrong:
            lines.append(f"wrong answers {self.wrong_rate:.1%} > {targets.max_wrong:.1%}")
        if self.escalated_rate < targets.min_escalated:
            lines.append(f"out-of-scope escalated {self.escalated_rate:.1%} < {targets.min_escalated:.1%}")
        return tuple(lines)


def classify(item: LabelledQuestion, reply: Reply) -> Result:
    """The outcome of `reply` for `item`."""
    if isinstance(reply, Answer):
        good = item.expected == reply.entry.id
        return Result(item, Outcome.CORRECT if good else Outcome.WRONG, reply.entry.id)
    offered = tuple(e.id for e in reply.candidates) if isinstance(reply, Clarify) else ()
    if not item.in_scope:
        return Result(item, Outcome.ESCALATED, None, offered)
    return Result(item, Outcome.CLARIFIED if offered else Outcome.MISSED, None, offered)


async def evaluate(
    dialogue: Dialogue,
    questions: Iterable[LabelledQuestion],
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Ask `dialogue` every question as a staff message; `progress(n)` after each."""
    results = []
    for done, item in enumerate(questions, start=1):
        reply = await dialogue.respond(Inbound(text=item.question, sender=_SENDER, conversation_id="evaluation"))
        results.append(classify(item, reply))
        if progress is not None:
            progress(done)
    return Report(tuple(results))
