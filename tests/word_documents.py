"""The suite's Word documents, by name, for tests that compare another format saved from them."""

from __future__ import annotations

from pathlib import Path

from tests.import_documents import UNIFORM, as_docx

ROOT = Path(__file__).resolve().parents[1]
WRITTEN = ROOT / "tests" / "data" / "import" / "written"


def word_file(name: str) -> tuple[str, bytes]:
    """The Word file `name` stands for: one written only to be imported (its stem), the raising
    concerns evaluation document (`speak-up-qa`) or the uniform document in its headings layout."""
    if name == "uniform-headings":
        return "uniform.docx", as_docx(UNIFORM, "headings")
    if name == "speak-up-qa":
        path = ROOT / "eval" / "documents" / "speakup" / "speak-up-qa.docx"
    else:
        (path,) = WRITTEN.glob(f"*/{name}.docx")
    return path.name, path.read_bytes()
