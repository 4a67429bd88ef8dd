"""`faqbot reload`: check the corpus, then ask the running bot to reload it."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from adapters.corpus.corpus_watch import request_reload
from knowledge import load_corpus


def run_reload(corpus_dir: Path, pid_path: Path, out: TextIO) -> int:
    """Signal the bot advertised in `pid_path`; raises CorpusError (the bot would refuse the corpus
    too, so say so here, where the curator is) or ReloadRequestError."""
    load_corpus(corpus_dir)
    pid = request_reload(pid_path)
    out.write(f"asked the bot (process {pid}) to reload {corpus_dir}; its log says corpus_reloaded when done\n")
    return 0
