"""Check a corpus the way a careful curator would, before it reaches staff.

Every finding names its file, entry, field, severity and check. Errors are what must not be
served (invalid entries, alternates that retrieve another entry, answers too long for a Teams
message, uncurated drafts, button titles that are clipped or repeated); warnings are what a curator
should act on soon but that does not make an answer wrong (an overdue review, no short title).

Pure: takes what `read_corpus` read and today's date, returns findings.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from rapidfuzz import fuzz, utils

from knowledge.corpus import OUT_OF_SCOPE_FILE, CorpusProblem, CorpusReading
from knowledge.import_plan import DRAFT_TOPIC
from knowledge.matching import Matcher
from knowledge.models import Corpus, Entry, Match
from knowledge.ranking import AnsweredExample
from knowledge.short_titles import MAX_SHORT_TITLE_CHARS, propose_short_title

Severity = Literal["error", "warning"]

# The check names a finding can carry (what README and tests refer to).
CHECKS = (
    "schema",
    "duplicate-id",
    "no-reference",
    "no-owner",
    "no-review-date",
    "draft-entry",
    "duplicate-alternate",
    "near-duplicate-alternate",
    "repeated-alternate",
    "alternate-retrieves-other",
    "alternate-retrieves-nothing",
    "review-overdue",
    "reviewed-in-future",
    "answer-too-long",
    "out-of-scope-answered",
    "short-title-too-long",
    "duplicate-short-title",
    "no-short-title",
)


@dataclass(frozen=True)
class LintSettings:
    """Thresholds of the checks.

    `near_duplicate_ratio`: rapidfuzz ratio (0-100, after lower-casing and dropping punctuation)
    from which two phrases of different entries count as the same question asked twice.
    `review_interval_months`: an entry is due for review this long after `last_reviewed`.
    `answer_char_limit`: longest answer that fits a Teams message. The reply card carries the
    answer twice (card text and plain-text fallback) with the question and references; 12,000
    characters keeps the whole message inside a 28 KB budget, well under Teams' documented
    limit (about 100 KB today, 40 KB in older documentation).
    """

    near_duplicate_ratio: float = 90.0
    review_interval_months: int = 12
    answer_char_limit: int = 12_000
    answer_at: float = 0.8
    """The dialogue's answer band: an out-of-scope example the bot answers at or above it is named."""


@dataclass(frozen=True)
class Finding:
    """One thing lint found: where (file, entry, field), how bad, which check, and what."""

    severity: Severity
    check: str
    file: str
    message: str
    entry: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.entry is not None:
            where.append(f"entry '{self.entry}'")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        return f"{': '.join(where)}: {self.severity} [{self.check}] {self.message}"


class Ranker(Protocol):
    def rank(self, question: str, *, limit: int = 3) -> tuple[Match, ...]: ...


class MeaningRanker(Ranker, Protocol):
    @property
    def answered_examples(self) -> tuple[AnsweredExample, ...]: ...


def lint_corpus(
    reading: CorpusReading,
    *,
    today: dt.date,
    settings: LintSettings | None = None,
    ranker: Callable[[Corpus], Ranker] = Matcher,
    meaning: Callable[[Corpus], MeaningRanker] | None = None,
) -> tuple[Finding, ...]:
    """Every finding for the corpus `reading` describes, errors first, then by file and entry.

    `meaning` builds the bot's own ranker (with the sentence encoder): given, every out-of-scope
    example the bot would answer is named, as happens when a new document answers it.
    """
    settings = settings or LintSettings()
    findings = [_from_problem(problem) for problem in reading.problems]
    corpus = reading.corpus
    if corpus is not None and corpus.entries:
        files = reading.files
        findings += _entry_checks(corpus.entries, files, today, settings)
        findings += _duplicates(corpus.entries, files, settings)
        findings += _short_titles(corpus.entries, files)
        findings += _retrieval(corpus, files, ranker(corpus))
        if meaning is not None:
            findings += answered_out_of_scope(corpus, meaning(corpus), settings.answer_at)
    findings = list(dict.fromkeys(findings))  # a draft is both an unknown topic and a draft: say it once
    severity = {"error": 0, "warning": 1}
    position = {entry.id: index for index, entry in enumerate(corpus.entries if corpus else ())}
    # Errors first; then as the curator reads the files: by file, entry order, field.
    return tuple(
        sorted(
            findings,
            key=lambda f: (severity[f.severity], f.file, position.get(f.entry or "", -1), f.field or ""),
        )
    )


def new_errors(reading: CorpusReading, changed: Corpus, *, today: dt.date) -> tuple[Finding, ...]:
    """The errors `changed` (an edit of `reading`'s corpus, same files) has that `reading` did not."""
    before = {str(f) for f in lint_corpus(reading, today=today) if f.severity == "error"}
    after = lint_corpus(CorpusReading(changed, reading.problems, reading.files), today=today)
    return tuple(f for f in after if f.severity == "error" and str(f) not in before)


def has_errors(findings: Sequence[Finding], *, strict: bool = False) -> bool:
    """True when the findings should fail a CI gate (warnings too when `strict`)."""
    return any(f.severity == "error" or strict for f in findings)


def _from_problem(problem: CorpusProblem) -> Finding:
    field = problem.field or ""
    check = "schema"
    if problem.message.startswith("duplicate id"):
        check = "duplicate-id"
    elif field.startswith("references"):
        check = "no-reference" if field == "references" else "schema"
    elif field == "owner":
        check = "no-owner"
    elif field == "last_reviewed" and problem.message.startswith("no review date"):
        check = "no-review-date"
    elif field == "topic" and f"'{DRAFT_TOPIC}'" in problem.message:
        return Finding("error", "draft-entry", problem.file, _DRAFT_MESSAGE, problem.entry, "topic")
    return Finding("error", check, problem.file, problem.message, problem.entry, problem.field)


_RETRIEVAL_DEPTH = 5
_DRAFT_MESSAGE = (
    f"imported draft (topic '{DRAFT_TOPIC}'): choose a topic from vocabulary.yaml, check the id and add alternates"
)


def _review_checks(entry: Entry, file: str, today: dt.date, settings: LintSettings) -> Iterator[Finding]:
    reviewed = entry.last_reviewed
    if reviewed is None:
        return  # no-review-date, from read_corpus
    due = _add_months(reviewed, settings.review_interval_months)
    if due < today:
        yield Finding(
            "warning",
            "review-overdue",
            file,
            f"last reviewed {reviewed.isoformat()}, review was due by {due.isoformat()} "
            f"(every {settings.review_interval_months} months)",
            entry.id,
            "last_reviewed",
        )
    elif reviewed > today:
        yield Finding(
            "warning",
            "reviewed-in-future",
            file,
            f"last reviewed {reviewed.isoformat()} is after today",
            entry.id,
            "last_reviewed",
        )


def _entry_checks(
    entries: Sequence[Entry], files: Mapping[str, str], today: dt.date, settings: LintSettings
) -> Iterator[Finding]:
    for entry in entries:
        file = _file(files, entry)
        if entry.owner is not None and not entry.owner.strip():
            yield Finding("error", "no-owner", file, "owner is blank", entry.id, "owner")
        if not any(ref.name.strip() for ref in entry.references):
            yield Finding("error", "no-reference", file, "no reference names a policy", entry.id, "references")
        if entry.topic == DRAFT_TOPIC:
            yield Finding("error", "draft-entry", file, _DRAFT_MESSAGE, entry.id, "topic")
        yield from _review_checks(entry, file, today, settings)
        if len(entry.answer) > settings.answer_char_limit:
            yield Finding(
                "error",
                "answer-too-long",
                file,
                f"answer has {len(entry.answer):,} characters; a Teams message fits "
                f"{settings.answer_char_limit:,} (split the entry or link to the policy)",
                entry.id,
                "answer",
            )


def _short_titles(entries: Sequence[Entry], files: Mapping[str, str]) -> Iterator[Finding]:
    """A button title must fit (an error: Teams clips it) and tell its entry apart from the others of
    its document (an error: two identical buttons); a missing one is a warning with a proposal."""
    taken: dict[str, set[str]] = {}
    for entry in entries:
        if entry.short_title:
            taken.setdefault(_file(files, entry), set()).add(entry.short_title)
    first: dict[tuple[str, str], str] = {}
    for entry in entries:
        file, title = _file(files, entry), entry.short_title
        if title is None:
            proposal = propose_short_title(entry.question, entry.source, taken.setdefault(file, set()))
            taken[file].add(proposal)
            yield Finding(
                "warning",
                "no-short-title",
                file,
                f"no short title for buttons; proposed: 'short_title: {proposal}'",
                entry.id,
                "short_title",
            )
            continue
        if len(title) > MAX_SHORT_TITLE_CHARS:
            yield Finding(
                "error",
                "short-title-too-long",
                file,
                f"'{title}' has {len(title)} characters; a button shows {MAX_SHORT_TITLE_CHARS}",
                entry.id,
                "short_title",
            )
        owner = first.setdefault((file, title.casefold()), entry.id)
        if owner != entry.id:
            yield Finding(
                "error",
                "duplicate-short-title",
                file,
                f"'{title}' is also the short title of entry '{owner}'",
                entry.id,
                "short_title",
            )


def _phrases(entry: Entry) -> Iterator[tuple[str, str]]:
    """(field, text) of every phrase that should retrieve `entry`."""
    yield "question", entry.question
    for position, alternate in enumerate(entry.alternates):
        yield f"alternates[{position}]", alternate


def _duplicates(entries: Sequence[Entry], files: Mapping[str, str], settings: LintSettings) -> Iterator[Finding]:
    rows = [(entry, field, text) for entry in entries for field, text in _phrases(entry)]
    texts = [utils.default_process(text) for _, _, text in rows]
    for i, (entry, field, text) in enumerate(rows):
        for j in range(i + 1, len(rows)):
            score = fuzz.ratio(texts[i], texts[j], score_cutoff=settings.near_duplicate_ratio)
            if not score:
                continue
            other, other_field, other_text = rows[j]
            if other.id == entry.id:
                yield Finding(
                    "warning",
                    "repeated-alternate",
                    _file(files, other),
                    f"'{other_text}' repeats {field} of the same entry",
                    other.id,
                    other_field,
                )
                continue
            check = "duplicate-alternate" if texts[i] == texts[j] else "near-duplicate-alternate"
            similarity = "the same as" if texts[i] == texts[j] else f"{score:.0f}% similar to"
            yield Finding(
                "error",
                check,
                _file(files, other),
                f"'{other_text}' is {similarity} '{text}' ({field} of entry '{entry.id}')",
                other.id,
                other_field,
            )


def _retrieval(corpus: Corpus, files: Mapping[str, str], ranker: Ranker) -> Iterator[Finding]:
    """Phrases another entry matches at least as well as their own (a tie is decided by file order)."""
    for entry in corpus.entries:
        for field, text in _phrases(entry):
            matches = ranker.rank(text, limit=_RETRIEVAL_DEPTH)
            if not matches:
                yield Finding(
                    "error",
                    "alternate-retrieves-nothing",
                    _file(files, entry),
                    f"'{text}' matches no entry",
                    entry.id,
                    field,
                )
                continue
            own = max((m.confidence for m in matches if m.entry.id == entry.id), default=0.0)
            rival = max((m for m in matches if m.entry.id != entry.id), key=lambda m: m.confidence, default=None)
            if rival is not None and rival.confidence >= own:
                yield Finding(
                    "error",
                    "alternate-retrieves-other",
                    _file(files, entry),
                    f"'{text}' retrieves entry '{rival.entry.id}' (confidence {rival.confidence:.2f}, "
                    f"this entry {own:.2f})",
                    entry.id,
                    field,
                )


@dataclass(frozen=True)
class AnsweredOutOfScope:
    """An out-of-scope example that an entry answers."""

    topic: str
    position: int
    """The example's position in its topic's examples."""
    example: str
    entry: Entry
    closeness: float | None
    """Cosine similarity in meaning, when the ranking leaves the example out for `entry`."""
    confidence: float | None
    """The bot's confidence, when it answers the example with `entry` despite it."""

    def how(self, *, short: bool = False) -> str:
        """What makes the example answered, in a few words (`short`: fewer, for a list that explains them)."""
        if self.closeness is not None:
            if short:
                return f"meaning {self.closeness:.2f}"
            return f"close in meaning, {self.closeness:.2f}, so no longer counted against it"
        return f"answered at {self.confidence:.2f}"


def out_of_scope_answers(corpus: Corpus, ranker: MeaningRanker, answer_at: float) -> Iterator[AnsweredOutOfScope]:
    """Out-of-scope examples that an entry answers, in the corpus's order: those the ranking already
    leaves out because an entry not yet fully curated answers them (`Ranker.answered_examples`), and
    those the bot answers at `answer_at` despite them."""
    left_out = {(a.topic, a.example): a for a in ranker.answered_examples}
    for topic in corpus.out_of_scope:
        for position, example in enumerate(topic.examples):
            answered = left_out.get((topic.topic, example))
            if answered is not None:
                yield AnsweredOutOfScope(topic.topic, position, example, answered.entry, answered.closeness, None)
                continue
            best = ranker.rank(example, limit=1)
            if best and best[0].confidence >= answer_at:
                yield AnsweredOutOfScope(topic.topic, position, example, best[0].entry, None, best[0].confidence)


def answered_out_of_scope(corpus: Corpus, ranker: MeaningRanker, answer_at: float) -> Iterator[Finding]:
    """Out-of-scope examples that an entry answers (`out_of_scope_answers`) as findings: an example must
    never outvote an entry that answers the question, so each is named for a curator to remove (or
    to narrow) in the out-of-scope file."""
    for answered in out_of_scope_answers(corpus, ranker, answer_at):
        entry = answered.entry
        yield Finding(
            "warning",
            "out-of-scope-answered",
            OUT_OF_SCOPE_FILE,
            f"out-of-scope example '{answered.example}' (topic '{answered.topic}') is answered by entry "
            f"'{entry.id}' ({entry.document or 'corpus'}; {answered.how()}): "
            "remove it from the out-of-scope examples, or reword it so it names what is not answered",
            None,
            f"topics.examples[{answered.position}]",
        )


def _file(files: Mapping[str, str], entry: Entry) -> str:
    return files.get(entry.id, "?")


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    target_year, target_month = day.year + year, month + 1
    return dt.date(target_year, target_month, min(day.day, calendar.monthrange(target_year, target_month)[1]))
