"""Import time of a 200-entry policy Q&A document in each format (target: under 5 s).

.venv/bin/python -m benchmarks.bench_import
"""

from __future__ import annotations

import time

from knowledge.import_plan import plan_import
from knowledge.importing import import_file
from tests.import_documents import QA, UNIFORM, as_docx, as_html, as_pdf, as_text

ENTRIES = 200
TARGET_SECONDS = 5.0


def _document() -> tuple[QA, ...]:
    return tuple(
        QA(f"{qa.question[:-1]} (case {n})?", qa.parts, qa.source, qa.references)
        for n, qa in enumerate((UNIFORM * (ENTRIES // len(UNIFORM) + 1))[:ENTRIES], start=1)
    )


def main() -> None:
    entries = _document()
    files = {
        "uniform.txt": as_text(entries, "Q1.").encode("utf-8"),
        "uniform.docx": as_docx(entries, "headings"),
        "uniform.pdf": as_pdf(entries, "Q1.", messy=True),
        "uniform.html": as_html(entries, "details"),
    }
    print(f"import of a {ENTRIES}-entry document (read, parse, plan; target < {TARGET_SECONDS:.0f} s)")
    for name, data in files.items():
        start = time.perf_counter()
        document = import_file(name, data)
        plan_import(document, source_file=name, existing=None)
        seconds = time.perf_counter() - start
        verdict = "ok" if seconds < TARGET_SECONDS and len(document.questions) == ENTRIES else "FAILED"
        print(f"  {name:<14} {len(document.questions):>4} entries  {seconds:6.2f} s  {verdict}")


if __name__ == "__main__":
    main()
