"""A document's blocks into questions, answers, references and metadata: the same for every format."""

from __future__ import annotations

import dataclasses

from knowledge.importing.answers import render_answer
from knowledge.importing.blocks import BlockDocument
from knowledge.importing.document import ImportedDocument, ImportedQuestion, ImportFinding, preview
from knowledge.importing.layouts import parse_layout
from knowledge.importing.metadata import missing, read_metadata
from knowledge.importing.references import find_references


def import_blocks(document: BlockDocument, *, untitled: str = "Untitled document") -> ImportedDocument:
    """Read `document`; problems, notes and unplaced text (with their line or page) are reported, never raised.
    A document with no title before its first question is called `untitled` (its entries cite it)."""
    unit = document.unit
    metadata = read_metadata(document.blocks)
    body = [block for position, block in enumerate(document.blocks) if position not in metadata.used]
    layout = parse_layout(body, unit=unit)
    notes = list(layout.notes)
    if not layout.title.strip():
        notes.append(ImportFinding(None, f"the document has no title before its first question: called '{untitled}'"))
        layout = dataclasses.replace(layout, title=untitled)
    questions = []
    for found in layout.questions:
        answer = render_answer(found.answer)
        notes.extend(ImportFinding(at, "joined a sentence split across a page break", unit) for at in answer.joined_at)
        citations = find_references(answer.text, title=layout.title, source=found.source, cited=found.cited)
        notes.extend(ImportFinding(found.location, remark, unit) for remark in citations.remarks)
        questions.append(
            ImportedQuestion(
                found.source, found.question, answer.text, citations.references, found.location, category=found.section
            )
        )
    problems = list(layout.problems)
    problems.extend(
        ImportFinding(
            at,
            "changes are still tracked here: read as if accepted; accept or reject them in Word, then import again",
            unit,
        )
        for at in document.revised
    )
    if not questions:
        problems.append(
            ImportFinding(
                None,
                "no questions found (expected numbered questions like '1. What …?' "
                "or 'Q1.', question headings, bold questions or a Q&A table)",
            )
        )
    if lacking := missing(metadata):
        notes.append(
            ImportFinding(
                None,
                f"the document gives no {lacking} (a sign-off such as 'June 2024' and "
                "the team, or 'Owner:'/'Reviewed:' lines)",
            )
        )
    unplaced = tuple(ImportFinding(block.location, preview(block.text), unit) for block in layout.unplaced)
    return ImportedDocument(
        layout.title,
        metadata.owner,
        metadata.last_reviewed,
        tuple(questions),
        tuple(problems),
        tuple(notes),
        unplaced,
        layout.layout,
        unit,
    )
