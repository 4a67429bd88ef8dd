"""Reading policy Q&A documents (plain text, markdown, Word, PDF, HTML, spreadsheets) into imported questions.

Each document format's reader turns the file into blocks (`blocks.py`); one layout parser, one
reference finder and one metadata reader then work on blocks, whatever the format. A spreadsheet
names its columns, so it is read row by row instead (`sheets.py`), with the same reference finder
and metadata reader.
"""

from __future__ import annotations

from pathlib import PurePath

from knowledge.importing.blocks import Block, BlockDocument, DocumentError, Link
from knowledge.importing.document import ImportedDocument, ImportedQuestion, ImportFinding, preview
from knowledge.importing.metadata import parse_month
from knowledge.importing.reading import import_blocks
from knowledge.importing.sheets import SHEET_FORMATS, import_sheets, read_sheets
from knowledge.importing.slugs import slug
from knowledge.importing.text_reader import decode_text, read_text

FORMATS = (".txt", ".md", ".docx", ".pdf", ".html", ".htm", *SHEET_FORMATS)

__all__ = [
    "Block",
    "BlockDocument",
    "DocumentError",
    "FORMATS",
    "ImportFinding",
    "ImportedDocument",
    "ImportedQuestion",
    "Link",
    "import_document",
    "import_file",
    "parse_month",
    "preview",
    "read_blocks",
    "slug",
]


def import_document(text: str) -> ImportedDocument:
    """Read a plain-text or markdown document."""
    return import_blocks(read_text(text))


def import_file(name: str, data: bytes, *, title: str = "") -> ImportedDocument:
    """Read the document `data`, in the format its file `name` says; DocumentError when it cannot be read.
    A document with no title of its own is called `title`, else after its file."""
    suffix = PurePath(name).suffix.lower()
    if suffix in SHEET_FORMATS:
        return import_sheets(read_sheets(suffix, data), untitled=title or PurePath(name).stem)
    return import_blocks(read_blocks(name, data), untitled=title or PurePath(name).stem)


def read_blocks(name: str, data: bytes) -> BlockDocument:
    """The blocks of `data` read by the reader for `name`'s suffix; DocumentError for anything else
    (a spreadsheet included: it is read by `import_file`, row by row)."""
    suffix = PurePath(name).suffix.lower()
    if suffix in {".txt", ".md"}:
        return read_text(decode_text(data))
    if suffix == ".docx":
        from knowledge.importing.docx_reader import read_docx

        return read_docx(data)
    if suffix == ".pdf":
        from knowledge.importing.pdf_reader import read_pdf

        return read_pdf(data)
    if suffix in {".html", ".htm"}:
        from knowledge.importing.html_reader import read_html

        return read_html(data)
    advice = _SAVE_AS.get(suffix, "")
    raise DocumentError(f"unsupported format '{suffix or name}' (supported: {', '.join(FORMATS)}){advice}")


_SAVE_AS = {
    ".doc": ": an older Word file; open it in Word and save it as a Word Document (.docx)",
    ".rtf": ": open it in Word and save it as a Word Document (.docx)",
    ".odt": ": save it from LibreOffice or OpenOffice as Word (.docx)",
    ".pages": ": export it from Pages as Word (.docx)",
    ".xls": ": an older Excel file; open it in Excel and save it as an Excel Workbook (.xlsx)",
    ".ods": ": save it from LibreOffice or OpenOffice as Excel (.xlsx)",
    ".numbers": ": export it from Numbers as Excel (.xlsx)",
    ".mht": ": open the page in the browser and save it as 'Webpage, HTML only' (.html)",
    ".mhtml": ": open the page in the browser and save it as 'Webpage, HTML only' (.html)",
}
"""What to do with a file in a format that has a supported twin the curator's program can save."""
