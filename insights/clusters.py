"""Group similar questions, so a curator sees 'asked 14 times' once instead of 14 near-copies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

# rapidfuzz token_set_ratio (0-100) from which two questions count as the same question.
SAME_QUESTION_RATIO = 90.0
# token_set_ratio is 100 whenever one question's words are a subset of the other's, so 'leave'
# would swallow 'how do i book annual leave'; the whole wordings must also be this close
# (token_sort_ratio, 0-100).
SAME_WORDS_FLOOR = 60.0


@dataclass(frozen=True)
class Cluster:
    """Questions asked in similar words: how many times, the most frequent wording, and the others."""

    count: int
    example: str
    wordings: tuple[str, ...]


def group_similar(questions: Iterable[str], *, threshold: float = SAME_QUESTION_RATIO) -> tuple[Cluster, ...]:
    """Clusters of `questions`, largest first (ties by example). Greedy: each wording joins the first
    cluster whose example it matches at `threshold` (and SAME_WORDS_FLOOR), most frequent wordings
    seeding clusters first."""
    counts = Counter(q for q in questions if q)
    seeds: list[tuple[str, Counter[str]]] = []
    for wording, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        for example, members in seeds:
            if (
                fuzz.token_set_ratio(wording, example) >= threshold
                and fuzz.token_sort_ratio(wording, example) >= SAME_WORDS_FLOOR
            ):
                members[wording] = counts[wording]
                break
        else:
            seeds.append((wording, Counter({wording: counts[wording]})))
    clusters = [
        Cluster(sum(members.values()), example, tuple(sorted(members, key=lambda w: (-members[w], w))))
        for example, members in seeds
    ]
    return tuple(sorted(clusters, key=lambda c: (-c.count, c.example)))
