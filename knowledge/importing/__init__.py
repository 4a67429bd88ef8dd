"""Reading policy Q&A documents (plain text, markdown, Word, PDF, HTML) into imported questions.

Each format's reader turns the file into blocks (`blocks.py`); one layout parser, one reference
finder and one metadata reader then work on blocks, whatever the format.
"""

from __future__ import annotations

from pathlib import PurePath

from knowledge.importing.blocks import Block, BlockDocument, DocumentError, Link
from knowledge.importing.document import ImportedDocument, ImportedQuestion, ImportFinding
from knowledge.importing.metadata import parse_month
from knowledge.importing.reading import import_blocks
from knowledge.importing.slugs import slug
from knowledge.importing.text_reader import read_text

FORMATS = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")

__all__ = [
    "FORMATS",
    "Block",
    "BlockDocument",
    "DocumentError",
    "ImportFinding",
    "ImportedDocument",
    "ImportedQuestion",
    "Link",
    "import_document",
    "import_file",
    "parse_month",
    "read_blocks",
    "slug",
]


def import_document(text: str) -> ImportedDocument:
    """Read a plain-text or markdown document."""
    return import_blocks(read_text(text))


def import_file(name: str, data: bytes, *, title: str = "") -> ImportedDocument:
    """Read the document `data`, in the format its file `name` says; DocumentError when it cannot be read.
    A document with no title of its own is called `title`, else after its file."""
    return import_blocks(read_blocks(name, data), untitled=title or PurePath(name).stem)


def read_blocks(name: str, data: bytes) -> BlockDocument:
    """The blocks of `data` read by the reader for `name`'s suffix; DocumentError for anything else."""
    suffix = PurePath(name).suffix.lower()
    if suffix in {".txt", ".md"}:
        return read_text(_decoded(data))
    if suffix == ".docx":
        from knowledge.importing.docx_reader import read_docx

        return read_docx(data)
    if suffix == ".pdf":
        from knowledge.importing.pdf_reader import read_pdf

        return read_pdf(data)
    if suffix in {".html", ".htm"}:
        from knowledge.importing.html_reader import read_html

        return read_html(data)
    raise DocumentError(f"unsupported format '{suffix or name}' (supported: {', '.join(FORMATS)})")


def _decoded(data: bytes) -> str:
    """Text as Windows saves it: UTF-8 (with or without its mark), UTF-16 with its mark (Notepad's
    "Unicode"), else Windows-1252 (Notepad's "ANSI", where ’ and £ are single bytes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError(f"not UTF-16 text ({exc.reason} at byte {exc.start})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"neither UTF-8 nor Windows-1252 text ({exc.reason} at byte {exc.start})") from None
