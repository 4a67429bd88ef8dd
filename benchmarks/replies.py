"""What the bot replies to some of an evaluation document's questions, the document as imported.

    python -m benchmarks.replies --document expenses [--every 20] [--with-all]

Prints a Markdown table: each `--every`th question of the document's `questions.yaml` (in-scope and
out-of-scope alike), the entry it was written for, and what the dialogue did: answered an entry,
offered entries as "Did you mean", or sent the question to the helpdesk alone. With `--with-all`
the document sits beside the curated shipped corpus and every other evaluation document, as
imported. Run it at two commits to compare matchers on questions neither was tuned on (a
`held-out` document).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot import Dialogue
from bot.replies import Answer, Clarify, Reply
from knowledge import Ranker, load_corpus
from knowledge.cold_start import bare, evaluation_documents, merged
from knowledge.embedding import load_vectors
from knowledge.evaluation import load_labelled

ROOT = Path(__file__).resolve().parent.parent


def described(reply: Reply, expected: str | None) -> str:
    """The reply in a few words, the expected entry in bold wherever it appears."""

    def shown(entry_id: str) -> str:
        return f"**{entry_id}**" if entry_id == expected else entry_id

    if isinstance(reply, Answer):
        return f"answered {shown(reply.entry.id)}"
    if isinstance(reply, Clarify):
        return "offered " + ", ".join(shown(e.id) for e in reply.candidates)
    return "helpdesk"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--document", required=True, help="a folder name under eval/documents/")
    parser.add_argument("--every", type=int, default=20)
    parser.add_argument("--with-all", action="store_true", help="beside the shipped corpus and the other documents")
    args = parser.parse_args()
    documents = {d.name: d for d in evaluation_documents(ROOT / "eval" / "documents")}
    document = documents[args.document]
    corpus = bare(document.corpus)
    if args.with_all:
        shipped = load_corpus(ROOT / "knowledge" / "data")
        corpus = merged([shipped, *(bare(d.corpus) for d in documents.values())])
    dialogue = Dialogue(Ranker(corpus, load_vectors(ROOT / "var" / "embeddings.sqlite3")))
    print("| question | written for | reply |\n|---|---|---|")
    for item in load_labelled(document.questions, corpus)[:: args.every]:
        reply = dialogue.answer(item.question)
        print(f"| {item.question} | {item.expected or 'out of scope'} | {described(reply, item.expected)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
