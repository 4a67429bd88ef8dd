"""Labelled questions for measuring matching: a YAML list of `q` (as staff type it) and `expect`.

`expect` is an entry id of the corpus, or `out-of-scope` when the bot must not answer. Curators
keep these files next to the corpus (see `eval/`) and run `faqbot eval FILE` after every edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge.errors import FaqbotError
from knowledge.models import Corpus

OUT_OF_SCOPE = "out-of-scope"


class LabelledSetError(FaqbotError):
    """The labelled file cannot be used; the message names the file and the item."""

    exit_code = 2
    summary = "the labelled file cannot be used"


@dataclass(frozen=True)
class LabelledQuestion:
    """One question and what the bot should do with it: answer `expected`, or (None) not answer."""

    question: str
    expected: str | None

    @property
    def in_scope(self) -> bool:
        return self.expected is not None


def load_labelled(path: Path, corpus: Corpus) -> tuple[LabelledQuestion, ...]:
    """Read `path`; every `expect` must be an entry of `corpus` or `out-of-scope`."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelledSetError(f"{path.name}: cannot be read: {exc}") from None
    except yaml.YAMLError as exc:
        raise LabelledSetError(f"{path.name}: not valid YAML: {exc}") from None
    if not isinstance(data, list) or not data:
        raise LabelledSetError(f"{path.name}: expected a non-empty list of {{q, expect}} items")
    ids = {entry.id for entry in corpus.entries}
    questions = []
    for position, item in enumerate(data, start=1):
        if not isinstance(item, Mapping) or not isinstance(item.get("q"), str) or not item["q"].strip():
            raise LabelledSetError(f"{path.name}: item #{position}: expected a mapping with a non-empty 'q'")
        expect = item.get("expect")
        if expect != OUT_OF_SCOPE and expect not in ids:
            raise LabelledSetError(
                f"{path.name}: item #{position}: 'expect' must be an entry id or '{OUT_OF_SCOPE}', got {expect!r}"
            )
        questions.append(LabelledQuestion(item["q"], None if expect == OUT_OF_SCOPE else str(expect)))
    return tuple(questions)
