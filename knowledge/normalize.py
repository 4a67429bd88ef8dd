"""The one cleaning rule applied to corpus text and to staff questions alike.

Text is folded (case, accents, apostrophes, punctuation), synonym phrases become one canonical
token ('whats app' -> 'whatsapp', 'off sick' -> 'sickness_absence'), filler words are dropped and
each remaining word is reduced to a light stem ('posting', 'posted', 'posts' -> 'post'), with US
spellings folded to British ('organization' -> 'organisation').
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from knowledge.stopwords import STOPWORDS

_PUNCTUATION = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"'})
_US_IZE = re.compile(r"iz(e|ed|es|ing|ation|ations)$")

# Stems that the suffix rules would get wrong.
_STEM_EXCEPTIONS = {"using": "use", "used": "use", "uses": "use", "news": "news", "bus": "bus"}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stem: plurals and -ing/-ed endings removed, a final 'e' dropped.

    Deliberately simple: it only has to map a word and its usual variants to the same key, on
    both sides of the comparison.
    """
    if word in _STEM_EXCEPTIONS:
        return _STEM_EXCEPTIONS[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    word = _US_IZE.sub(r"is\1", word)
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if word[-1] == word[-2] and word[-1] not in "lsz":  # stopped -> stop
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


class Normalizer:
    """Turns text into comparable tokens: case, accents, punctuation, synonyms and endings folded.

    Synonym groups map every variant (single or multi-word) to the group's first form, so
    'whats app', "what's app" and 'whatsapp' become the same token.
    """

    def __init__(self, synonyms: Iterable[Iterable[str]] = ()) -> None:
        variants: dict[str, str] = {}
        for group in synonyms:
            forms = [self._fold(form) for form in group]
            canonical = forms[0].replace(" ", "_")
            for form in forms:
                if form:
                    variants[form] = canonical
        self._variants = variants
        self._canonical = frozenset(variants.values())
        # The most words a variant starting with each word has: phrases are looked up longest first,
        # so 'work mobile phone' wins over 'work mobile'.
        self._longest: dict[str, int] = {}
        for variant in variants:
            first, *rest = variant.split()
            self._longest[first] = max(self._longest.get(first, 0), 1 + len(rest))
        # One question is read by several signals (lexical matcher, word model, fuzzy ratio).
        self._text = lru_cache(maxsize=1024)(self._text_uncached)

    @staticmethod
    def _fold(text: str) -> str:
        text = text.translate(_APOSTROPHES)
        if not text.isascii():
            text = unicodedata.normalize("NFKD", text)
            text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = text.lower().replace("'", "")
        return _SPACE.sub(" ", _PUNCTUATION.sub(" ", text)).strip()

    def text(self, text: str) -> str:
        """Folded text with synonyms replaced by their canonical token."""
        return self._text(text)

    def _text_uncached(self, text: str) -> str:
        words = self._fold(text).split()
        out: list[str] = []
        position = 0
        while position < len(words):
            longest = self._longest.get(words[position], 0)
            for size in range(min(longest, len(words) - position), 0, -1):
                canonical = self._variants.get(" ".join(words[position : position + size]))
                if canonical is not None:
                    out.append(canonical)
                    position += size
                    break
            else:
                out.append(words[position])
                position += 1
        return " ".join(out)

    def tokens(self, text: str, *, keep_stopwords: bool = False) -> list[str]:
        """Stemmed tokens of `text`; stopwords dropped unless asked for. Synonym tokens are not stemmed."""
        return [token for _, token in self.words(text, keep_stopwords=keep_stopwords)]

    def words(self, text: str, *, keep_stopwords: bool = False) -> list[tuple[str, str]]:
        """(word as written, folded; its token) pairs, so a misspelt word can be compared as written."""
        words = self.text(text).split()
        if not keep_stopwords:
            words = [w for w in words if w not in STOPWORDS]
        return [(w, w if w in self._canonical else stem(w)) for w in words]

    def variants(self) -> dict[str, str]:
        """Every folded synonym variant and the token it becomes."""
        return dict(self._variants)
