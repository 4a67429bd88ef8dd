"""`faqbot adopt FILE [--write]`: add a labelled set's questions to the corpus (see `knowledge.adoption`).

Without `--write` it only says what it would add and skip. With it, the new alternates go into
their entries' `*.faq.yaml` files and the new out-of-scope examples into the out-of-scope file,
unless the corpus check (`faqbot lint`) finds an error the corpus did not have before: then
nothing is written. Refit the ranking weights afterwards (`make train-ranking ARGS=--write`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TextIO

from adapters.corpus.corpus_file import write_document, write_out_of_scope
from knowledge.adoption import Adoption, plan_adoption
from knowledge.corpus import OUT_OF_SCOPE_FILE, CorpusError, CorpusReading, read_corpus, read_document
from knowledge.evaluation import LabelledSetError, load_labelled
from knowledge.lint import LintSettings, new_errors
from knowledge.models import Corpus


def run_adopt(corpus_dir: Path, labelled: Path, *, write: bool, out: TextIO, err: TextIO) -> int:
    """Print the plan (and write it when `write`); 0 when done, 1 when refused, 2 on unusable input."""
    reading = read_corpus(corpus_dir)
    if reading.problems or reading.corpus is None:
        print(f"faqbot adopt: the corpus cannot be used: {CorpusError(reading.problems)}", file=err)
        return 2
    if labelled.resolve().name == "heldout.yaml":
        print("faqbot adopt: refusing the held-out set: it measures wordings the corpus has not seen", file=err)
        return 2
    try:
        questions = load_labelled(labelled, reading.corpus)
    except LabelledSetError as exc:
        print(f"faqbot adopt: the labelled file cannot be used: {exc}", file=err)
        return 2
    adoption = plan_adoption(reading.corpus, questions, repeat_ratio=LintSettings().near_duplicate_ratio)
    _report(adoption, len(questions), out)
    if not write or not adoption.added:
        if adoption.added:
            print("Nothing written: run again with --write to add them.", file=out)
        return 0
    adopted = adoption.apply(reading.corpus)
    errors = new_errors(reading, adopted, today=dt.date.today())
    if errors:
        print("Nothing written: the corpus check finds new errors with them:", file=out)
        for error in errors:
            print(f"  {error}", file=out)
        return 1
    _write(corpus_dir, reading, adopted, adoption)
    print("Written. Refit the ranking weights: make train-ranking ARGS=--write", file=out)
    return 0


def _report(adoption: Adoption, total: int, out: TextIO) -> None:
    entries = len(adoption.alternates)
    print(
        f"{total} labelled questions: {adoption.added} to adopt "
        f"({sum(map(len, adoption.alternates.values()))} alternates for {entries} entries, "
        f"{len(adoption.out_of_scope)} out-of-scope examples), {adoption.known} already in the corpus, "
        f"{len(adoption.skipped)} skipped",
        file=out,
    )
    for skipped in adoption.skipped:
        print(f'  skipped "{skipped.question}": {skipped.reason}', file=out)


def _write(corpus_dir: Path, reading: CorpusReading, adopted: Corpus, adoption: Adoption) -> None:
    for name in sorted({reading.files[entry_id] for entry_id in adoption.alternates}):
        path = corpus_dir / name
        document = read_document(path)
        entries = tuple(adopted.entry(e.id) or e for e in document.entries)
        write_document(path, dataclasses.replace(document, entries=entries))
    if adoption.out_of_scope:
        write_out_of_scope(corpus_dir / OUT_OF_SCOPE_FILE, adopted.out_of_scope)
