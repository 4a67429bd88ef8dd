from __future__ import annotations

import pytest

from knowledge import Corpus, Matcher, MatchingSettings, OutOfScopeTopic

CONFIDENT = 0.8


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # exact source questions
        ("What counts as a social media profile?", "what-is-a-social-media-profile"),
        ("How far back does it go regarding a subject access?", "sar-how-far-back"),
        # paraphrases
        ("can I use my work email address for online banking", "work-email-for-personal-use"),
        ("is tiktok allowed on my work phone", "tiktok-government-restrictions"),
        # typos and spelling variants
        ("can likeing a post get me in truoble", "liking-posts"),
        ("wil the breifing slides be shared", "briefing-slides-available"),
        # synonyms and abbreviations
        ("tik tok on my work mobile", "tiktok-government-restrictions"),
        ("will I be told about a subject access request for my e-mails", "sar-individuals-informed"),
    ],
)
def test_finds_the_right_entry(matcher: Matcher, question: str, entry_id: str) -> None:
    best = matcher.rank(question, limit=1)
    assert best[0].entry.id == entry_id


@pytest.mark.parametrize("question", ["how do I book annual leave", "what is the weather in Leeds", "zzzz qqqq"])
def test_unrelated_questions_are_not_confident(matcher: Matcher, question: str) -> None:
    assert all(match.confidence < CONFIDENT for match in matcher.rank(question))


def test_results_are_ranked_and_bounded(matcher: Matcher) -> None:
    matches = matcher.rank("whatsapp messages at work", limit=3)
    assert 1 <= len(matches) <= 3
    confidences = [m.confidence for m in matches]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert len({m.entry.id for m in matches}) == len(matches)


@pytest.mark.parametrize("question", ["", "   ", "?!?", "the and of"])
def test_nothing_to_match_is_no_answer(matcher: Matcher, question: str) -> None:
    assert matcher.rank(question) == ()


def test_a_misspelt_word_is_read_as_the_corpus_word(matcher: Matcher) -> None:
    (best,) = matcher.rank("do I need a testimonal on my personal facebok", limit=1)
    assert best.entry.id == "personal-facebook-testimonial"


def test_an_unknown_weighty_word_lowers_confidence(matcher: Matcher) -> None:
    # Same known words, plus a word the corpus never uses: the question is probably about something else.
    (plain,) = matcher.rank("report a sickness absence on social media", limit=1)
    (foreign,) = matcher.rank("report a sickness absence payslip on social media", limit=1)
    assert foreign.confidence < plain.confidence


def test_a_word_only_in_the_answer_counts_less_than_a_curated_one(corpus: Corpus) -> None:
    # 'detrimental' appears only in the answer of Q1; once curated as a keyword it counts fully.
    entry = corpus.entry("sickness-absence-checking-in")
    assert entry is not None and "detrimental" in entry.answer
    curated = corpus.model_copy(
        update={
            "entries": tuple(
                e.model_copy(update={"keywords": (*e.keywords, "detrimental")}) if e.id == entry.id else e
                for e in corpus.entries
            )
        }
    )
    question = "off sick and posting, is that detrimental"
    (before,) = Matcher(corpus).rank(question, limit=1)
    (after,) = Matcher(curated).rank(question, limit=1)
    assert before.entry.id == after.entry.id == entry.id
    assert after.confidence > before.confidence


def test_an_entry_matched_only_through_its_answer_is_not_offered(matcher: Matcher) -> None:
    assert matcher.rank("detrimental") == ()


def test_settings_are_honoured(corpus: Corpus) -> None:
    strict = Matcher(corpus, MatchingSettings(score_cutoff=0.99))
    assert strict.rank("whatsapp messages at work") == ()


def _with_out_of_scope(corpus: Corpus, *examples: str) -> Corpus:
    topic = OutOfScopeTopic(topic="Reporting sickness", examples=examples)
    return corpus.model_copy(update={"out_of_scope": (topic,)})


def test_a_question_nearer_an_out_of_scope_example_loses_confidence(corpus: Corpus) -> None:
    question = "how do I let my manager know I am off sick today"
    bare = Matcher(corpus.model_copy(update={"out_of_scope": ()}))
    (before,) = bare.rank(question, limit=1)
    aware = Matcher(_with_out_of_scope(corpus, "how do i tell my manager i am off sick today"))
    (after,) = aware.rank(question, limit=1)
    assert before.entry.id == after.entry.id == "sickness-absence-checking-in"
    assert after.confidence == pytest.approx(before.confidence * MatchingSettings().outside_discount)


def test_an_entry_clearly_closer_than_every_out_of_scope_example_keeps_its_confidence(corpus: Corpus) -> None:
    question = "colleague off sick keeps checking in at concerts on facebook"
    bare = Matcher(corpus.model_copy(update={"out_of_scope": ()}))
    aware = Matcher(_with_out_of_scope(corpus, "how do i tell my manager i am off sick today"))
    assert aware.rank(question, limit=1) == bare.rank(question, limit=1)


def test_a_word_only_out_of_scope_examples_use_is_not_corrected_to_a_corpus_word(corpus: Corpus) -> None:
    # Alone, 'sicknote' is read as a misspelling of the corpus's 'sick note' (sickness absence);
    # once an out-of-scope example uses the word, it stays itself and counts as unknown.
    bare = Matcher(corpus.model_copy(update={"out_of_scope": ()}))
    assert bare._query("sicknote") == {"sickness_absence": MatchingSettings().typo_credit}
    aware = Matcher(_with_out_of_scope(corpus, "where do i send my sicknote"))
    assert aware._query("sicknote") == {"sicknot": 1.0}  # its stem


@pytest.mark.parametrize("question", ["whatsapp", "SAR", "facebook", "social media"])
def test_one_word_many_entries_use_is_never_confident(matcher: Matcher, question: str) -> None:
    assert all(m.confidence <= MatchingSettings().vague_ceiling for m in matcher.rank(question))


def test_one_vague_word_still_ranks_the_entries_it_may_mean(matcher: Matcher) -> None:
    ranked = matcher.rank("SAR", limit=3)
    assert {m.entry.topic for m in ranked} == {"subject-access-requests"} and len(ranked) >= 2


def test_one_word_only_one_entry_uses_can_be_confident(matcher: Matcher) -> None:
    (best,) = matcher.rank("tiktok", limit=1)
    assert best.entry.id == "tiktok-government-restrictions" and best.confidence >= CONFIDENT


@pytest.mark.parametrize(
    "question",
    [
        "whatsapp messages at work",
        "colleague off sick posting from a festival on facebook",
        "can I say I work for the nhs on linkedin",
        "SAR",
        "tik tok on my work mobile",
    ],
)
def test_a_short_ranking_is_the_head_of_the_full_one(matcher: Matcher, question: str) -> None:
    """Ranking stops early once no further entry can reach the best `limit`; it must not change the order."""
    everything = matcher.rank(question, limit=len(matcher.corpus.entries))
    assert everything
    for limit in (1, 2, 3):
        assert matcher.rank(question, limit=limit) == everything[:limit]


def test_a_limit_below_one_ranks_nothing(matcher: Matcher) -> None:
    assert matcher.rank("whatsapp messages at work", limit=0) == ()


def test_entries_named_by_the_caller_are_read_with_their_own_signals(matcher: Matcher) -> None:
    """The ranking adds entries close in meaning to the lexical candidates: each must be scored as
    the matcher scores any entry, not weighed as if it shared no word with the question."""
    question = "whatsapp messages at work"
    everything = matcher.read(question, limit=len(matcher.corpus.entries)).candidates
    outside, scored = everything[-1], {c.entry.id: c for c in everything}
    positions = {entry.id: index for index, entry in enumerate(matcher.corpus.entries)}
    reading = matcher.read(question, limit=2, include=[positions[outside.entry.id], positions[everything[0].entry.id]])
    assert [c.entry.id for c in reading.candidates] == [
        everything[0].entry.id,
        everything[1].entry.id,
        outside.entry.id,
    ]
    assert reading.candidates[-1] == scored[outside.entry.id]
    assert reading.candidates[-1].similarity > 0
    assert matcher.read(question, limit=0, include=[positions[outside.entry.id]]).candidates == (outside,)
