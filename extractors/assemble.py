"""The last step: everything the stages found, as a validated `schemas.Result`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from extractors.errors import NianbaoError
from extractors.layout import Grid
from extractors.loading import digest
from schemas import (
    CellProvenance,
    DocumentInfo,
    Finding,
    Result,
    Table,
    TableCell,
    Validation,
    unflatten,
)

if TYPE_CHECKING:
    from extractors.pipeline import Work


def _document(work: Work) -> DocumentInfo:
    kinds = {p.kind for p in work.pages}
    kind = None
    if kinds == {"digital"}:
        kind = "digital"
    elif kinds == {"scan"}:
        kind = "scan"
    elif kinds:
        kind = "mixed"
    sha = work.doc.sha256 if work.doc is not None else digest(work.source)
    # a tall image of stacked pages is read as several pages
    pages = max(len(work.doc.pages) if work.doc is not None else 0, len(work.pages))
    return DocumentInfo(id=sha, filename=work.filename, pages=pages, kind=kind)  # type: ignore[arg-type]


def _tables(grids: list[Grid]) -> list[Table]:
    return [
        Table(
            index=i,
            pages=list(g.pages),
            n_rows=g.n_rows,
            n_cols=g.n_cols,
            role=g.role,
            cells=[
                TableCell(row=c.row, col=c.col, row_span=c.row_span, col_span=c.col_span,
                          text=c.text, page=c.page, bbox=_round(c.bbox))
                for c in g.cells
            ],
        )
        for i, g in enumerate(grids)
    ]


def _round(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    return (round(bbox[0], 1), round(bbox[1], 1), round(bbox[2], 1), round(bbox[3], 1))


def status_of(findings: list[Finding], repaired: bool) -> str:
    if any(f.severity in ("error", "warning") for f in findings):
        return "needs_review"
    return "repaired" if repaired else "valid"


def assemble(work: Work) -> Result:
    assert work.mapping is not None
    values = work.mapping.values
    tree: dict[str, Any] = unflatten({p: cv.value for p, cv in values.items()})
    found = work.mapping.found
    cells = {
        path: CellProvenance(
            raw=cv.raw,
            page=cv.page,
            bbox=_round(cv.bbox) if cv.bbox else None,
            confidence=round(max(0.0, min(1.0, cv.confidence)), 4),
            source="ocr" if cv.source == "ocr" else "pdf_text",
            corrected_from=cv.corrected_from,
        )
        for path, cv in values.items()
        if cv.page is not None
    }
    return Result(
        document=_document(work),
        report=work.report,
        active_disclosure=tree.get("active_disclosure") if "active_disclosure" in found else None,
        applications=tree.get("applications") if "applications" in found else None,
        reviews_and_litigation=(
            tree.get("reviews_and_litigation") if "reviews_and_litigation" in found else None
        ),
        sections=work.sections,
        tables=_tables(work.tables),
        cells=cells,
        validation=Validation(
            status=status_of(work.findings, work.repaired),  # type: ignore[arg-type]
            findings=work.findings,
        ),
    )


def failed(work: Work, exc: NianbaoError) -> Result:
    message = exc.message + (f" {exc.hint}" if exc.hint else "")
    return Result(
        document=_document(work),
        tables=_tables(work.tables),
        validation=Validation(
            status="failed",
            findings=[Finding(code=exc.code, severity="error", message=message)],
        ),
    )
