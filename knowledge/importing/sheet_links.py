"""The web links on an Excel workbook's cells, which openpyxl's streaming reader does not give.

A Q&A sheet links a cell's text to the policy it names ("Uniform Policy HR-07" opening the
intranet page) or to a form. The link is not in the cell's value: the sheet's XML lists it in a
`<hyperlinks>` block after the cells, and the sheet's relationships hold its address. Links to
a place inside the workbook (`#Sheet2!A1`) or to a file on someone's drive lead nowhere a staff
member can follow and are left out.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Mapping

from openpyxl.utils.cell import range_boundaries
from openpyxl.xml.functions import fromstring, iterparse

from knowledge.importing.blocks import FOLLOWED

__all__ = ["sheet_links"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

Cell = tuple[int, int]
"""A cell's row and column, both from 1, as openpyxl counts them."""


def sheet_links(package: zipfile.ZipFile) -> dict[str, dict[Cell, str]]:
    """Each sheet's cells (by sheet title) that link to an address outside the workbook."""
    # The workbook part is where the package's relationships say ('xl/workbook.xml' as Excel writes it).
    main = next(
        (target for target, kind in _relationships(package, "").values() if kind.endswith("/officeDocument")),
        "xl/workbook.xml",
    )
    sheets = _relationships(package, main)
    workbook = fromstring(package.read(main))
    found: dict[str, dict[Cell, str]] = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        path = sheets.get(sheet.get(f"{_DOC_RELS}id", ""), ("", ""))[0]
        if path in package.NameToInfo and (links := _links(package, path)):
            found[sheet.get("name", "")] = links
    return found


def _links(package: zipfile.ZipFile, path: str) -> dict[Cell, str]:
    targets = {
        rel_id: target
        for rel_id, (target, kind) in _relationships(package, path).items()
        if kind == _HYPERLINK and target.startswith(FOLLOWED)
    }
    if not targets:
        return {}
    links: dict[Cell, str] = {}
    with package.open(path) as xml:
        for _, element in iterparse(xml):
            if element.tag == f"{_MAIN}hyperlink":
                target = targets.get(element.get(f"{_DOC_RELS}id", ""))
                if target and (cell := _first_cell(element.get("ref", ""))):
                    links[cell] = target
            elif element.tag == f"{_MAIN}row":
                element.clear()  # rows are read by openpyxl; here they would only hold memory
    return links


def _first_cell(ref: str) -> Cell | None:
    """The cell a link's `ref` starts at: a link over a range is over merged cells, whose text is in
    the first. None for a ref that names no cell (the link is then left out, the sheet still read)."""
    try:
        column, row, _, _ = range_boundaries(ref)
    except (ValueError, TypeError):
        return None
    return (row, column) if row and column else None


def _relationships(package: zipfile.ZipFile, part: str) -> Mapping[str, tuple[str, str]]:
    """A part's relationships: id → (target, type). An external target is kept as written (a URL);
    an internal one becomes its path in the package."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in package.NameToInfo:
        return {}
    found = {}
    for rel in fromstring(package.read(rels)).iter(f"{_PACKAGE_RELS}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") != "External":
            target = (
                target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            )
        found[rel.get("Id", "")] = (target, rel.get("Type", ""))
    return found
