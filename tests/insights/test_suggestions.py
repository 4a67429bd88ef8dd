"""Suggested alternates: proposed from how staff asked, accepted into the corpus file, reviewed in git."""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from pathlib import Path

import pytest

from benchmarks.sample_history import store_history
from bot.questions import AskedQuestion, Outcome, RecordedQuestion
from insights.suggestions import Suggestion, propose
from knowledge import Corpus, load_corpus
from tests.support import SHIPPED_CORPUS, CommandResult, run_faqbot

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
FILE = "social-media-qa.faq.yaml"
TESTIMONIAL = "personal-facebook-testimonial"
WORDING = "do i have to write a reference on my facebook page"


def q(n: int, text: str, outcome: Outcome, resolved: str | None, **after: object) -> RecordedQuestion:
    asked = AskedQuestion(f"{n:032x}", NOW, text, outcome, "liking-posts", 0.6)
    return RecordedQuestion(asked, resolved_entry_id=resolved, **after)  # type: ignore[arg-type]


def test_questions_that_ended_at_an_entry_are_proposed_for_it(corpus: Corpus) -> None:
    own = corpus.entry("liking-posts")
    assert own is not None
    history = (
        q(1, WORDING, Outcome.DID_YOU_MEAN, TESTIMONIAL),
        q(2, WORDING, Outcome.DID_YOU_MEAN, TESTIMONIAL),
        q(3, "hr direct answered this", Outcome.ESCALATED, "liking-posts", escalated=True),
        q(4, "clicked but said it did not help", Outcome.DID_YOU_MEAN, TESTIMONIAL, helpful=False),
        q(5, "email [email] about it", Outcome.DID_YOU_MEAN, TESTIMONIAL),
        q(6, own.alternates[0].lower(), Outcome.DID_YOU_MEAN, "liking-posts"),  # already an alternate
        q(7, "an entry since removed", Outcome.DID_YOU_MEAN, "no-such-entry"),
        q(8, "never clicked", Outcome.DID_YOU_MEAN, None),
        q(9, "can i like my mates posts", Outcome.ANSWERED, None, helpful=True),  # a 👍 on the answer
        q(10, "answered but nobody said", Outcome.ANSWERED, None),
        q(11, "answered and thumbs down", Outcome.ANSWERED, None, helpful=False),
    )
    assert propose(history, corpus) == (
        Suggestion(WORDING, TESTIMONIAL, 2),
        Suggestion("can i like my mates posts", "liking-posts", 1),
        Suggestion("hr direct answered this", "liking-posts", 1),
    )
    assert propose(history, corpus, {(WORDING, TESTIMONIAL)}) == (
        Suggestion("can i like my mates posts", "liking-posts", 1),
        Suggestion("hr direct answered this", "liking-posts", 1),
    )


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SHIPPED_CORPUS, tmp_path / "corpus"))


@pytest.fixture
def database(tmp_path: Path, corpus: Corpus) -> str:
    clash = corpus.entry("sar-how-far-back")
    assert clash is not None
    url = f"sqlite:///{tmp_path / 'history.sqlite3'}"
    history = (
        q(1, WORDING, Outcome.DID_YOU_MEAN, TESTIMONIAL),
        q(2, WORDING, Outcome.DID_YOU_MEAN, TESTIMONIAL),
        # Another entry's own question, ended at the wrong entry: accepting it would break the corpus.
        q(3, clash.question.lower().rstrip("?"), Outcome.DID_YOU_MEAN, "sar-individuals-informed"),
    )
    asyncio.run(store_history(url, history))
    return url


def faqbot(database: str, corpus_dir: Path, *args: str) -> CommandResult:
    return run_faqbot(*args, FAQBOT_DATABASE_URL=database, FAQBOT_CORPUS_DIR=str(corpus_dir))


def test_accepting_a_suggestion_adds_the_alternate_and_keeps_the_corpus_clean(database: str, corpus_dir: Path) -> None:
    listing = faqbot(database, corpus_dir, "suggestions")
    assert listing.returncode == 0, listing.stderr
    assert f'  1. "{WORDING}" -> {TESTIMONIAL} (2x)' in listing.stdout
    before = (corpus_dir / FILE).read_text(encoding="utf-8")

    accepted = faqbot(database, corpus_dir, "suggestions", "accept", "1")
    assert accepted.returncode == 0, accepted.stderr
    assert f'added "{WORDING}" to the alternates of {TESTIMONIAL} in {FILE}' in accepted.stdout
    after = (corpus_dir / FILE).read_text(encoding="utf-8")
    assert after.splitlines()[0] == before.splitlines()[0]  # the curator's comment is kept
    entry = load_corpus(corpus_dir).entry(TESTIMONIAL)
    assert entry is not None and entry.alternates[-1] == WORDING
    assert faqbot(database, corpus_dir, "lint").returncode == 0
    assert WORDING not in faqbot(database, corpus_dir, "suggestions").stdout  # not proposed again


def test_a_suggestion_that_would_retrieve_another_entry_is_refused(database: str, corpus_dir: Path) -> None:
    listing = faqbot(database, corpus_dir, "suggestions").stdout
    assert "-> sar-individuals-informed (1x)" in listing
    before = (corpus_dir / FILE).read_text(encoding="utf-8")
    refused = faqbot(database, corpus_dir, "suggestions", "accept", "2")
    assert refused.returncode == 1
    assert "not accepting" in refused.stderr and "the corpus lint would fail" in refused.stderr
    assert "sar-how-far-back" in refused.stderr
    assert (corpus_dir / FILE).read_text(encoding="utf-8") == before

    dismissed = faqbot(database, corpus_dir, "suggestions", "dismiss", "2")
    assert dismissed.returncode == 0, dismissed.stderr
    assert "sar-individuals-informed" not in faqbot(database, corpus_dir, "suggestions").stdout


def test_an_unknown_suggestion_is_a_clear_error(database: str, corpus_dir: Path) -> None:
    result = faqbot(database, corpus_dir, "suggestions", "accept", "9")
    assert result.returncode == 1
    assert "no suggestion '9'" in result.stderr
    missing = faqbot(database, corpus_dir, "suggestions", "accept")
    assert missing.returncode == 2 and "say which" in missing.stderr
