"""The curated HR Q&A corpus and how questions are matched against it.

Depends on nothing else in this project.
"""

from knowledge.corpus import CorpusError, CorpusProblem, load_corpus, read_corpus
from knowledge.errors import FaqbotError
from knowledge.matching import Matcher, MatchingSettings
from knowledge.models import Corpus, Entry, Match, OutOfScopeTopic, PolicyReference, Topic
from knowledge.ranking import Ranker, RankingSettings

__all__ = [
    "Corpus",
    "CorpusError",
    "CorpusProblem",
    "Entry",
    "FaqbotError",
    "Match",
    "Matcher",
    "MatchingSettings",
    "OutOfScopeTopic",
    "PolicyReference",
    "Ranker",
    "RankingSettings",
    "Topic",
    "load_corpus",
    "read_corpus",
]
