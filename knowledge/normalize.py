"""The one cleaning rule applied to corpus text and to staff questions alike."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_PUNCTUATION = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"'})

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with about as into from up out over under
    is are was were be been being am do does did doing have has had having i me my mine we us our
    you your yours he him his she her they them their it its this that these those there here
    what which who whom whose when where why how can could would should will shall may might must
    not no so than too very just also any all some such only own same other again further then
    once s t don im ive id ill youre hi hello hey please pls thanks thank cheers quick one question
    ask asking wondering know tell anyone someone get got go going like want need""".split()
)


class Normalizer:
    """Turns text into comparable tokens: case, accents, punctuation and synonyms folded.

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
        # Longest variants first, so 'work mobile phone' wins over 'work mobile'.
        ordered = sorted(variants, key=len, reverse=True)
        self._variants = variants
        self._pattern = (
            re.compile(r"\b(" + "|".join(re.escape(v) for v in ordered) + r")\b") if ordered else None
        )

    @staticmethod
    def _fold(text: str) -> str:
        text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = text.lower().replace("'", "")
        return _SPACE.sub(" ", _PUNCTUATION.sub(" ", text)).strip()

    def text(self, text: str) -> str:
        """Folded text with synonyms replaced by their canonical token."""
        folded = self._fold(text)
        if self._pattern is None:
            return folded
        return self._pattern.sub(lambda m: self._variants[m.group(1)], folded)

    def tokens(self, text: str, *, keep_stopwords: bool = False) -> list[str]:
        """Tokens of `text`; stopwords dropped unless asked for."""
        words = self.text(text).split()
        return words if keep_stopwords else [w for w in words if w not in STOPWORDS]
