"""The result document: one per input document (TEMPLATE.md §7).

The top-level keys and the dotted number paths are a public contract; new keys
may be added, existing ones never renamed. `schema_version` is checked on load.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from schemas.paths import Format
from schemas.tables import (
    ActiveDisclosure2019,
    ActiveDisclosure2021,
    Applications2019,
    Applications2021,
    ReviewsAndLitigation,
)

SCHEMA_VERSION = "1"

Status = Literal["valid", "repaired", "needs_review", "failed"]
Severity = Literal["error", "warning", "info"]
Source = Literal["ocr", "pdf_text"]
DocumentKind = Literal["scan", "digital", "mixed"]
BBox = tuple[float, float, float, float]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocumentInfo(_Model):
    id: str = Field(description="sha256 of the document's bytes, hex")
    filename: str
    pages: int = Field(ge=0)
    kind: DocumentKind | None = None


class ReportInfo(_Model):
    issuer: str | None = None
    year: int | None = None
    format: Format | None = None
    title: str | None = None


class Sections(_Model):
    overview: str | None = None
    problems_and_improvements: str | None = None
    other_matters: str | None = None


class TableCell(_Model):
    row: int = Field(ge=0)
    col: int = Field(ge=0)
    row_span: int = Field(default=1, ge=1)
    col_span: int = Field(default=1, ge=1)
    text: str = ""
    page: int = Field(ge=1, description="1-based page number")
    bbox: BBox


class Table(_Model):
    index: int = Field(ge=0, description="order of the table in the document")
    pages: list[int] = Field(description="1-based pages the table spans (stitched parts)")
    n_rows: int = Field(ge=0)
    n_cols: int = Field(ge=0)
    role: str | None = Field(
        default=None,
        description="template table it was mapped to: active_disclosure, applications, "
        "reviews_and_litigation; null for tables outside the template",
    )
    cells: list[TableCell]


class CellProvenance(_Model):
    raw: str = Field(description="text as read, before interpretation")
    page: int | None = None
    bbox: BBox | None = None
    confidence: float = Field(ge=0.0, le=1.0)
    source: Source
    corrected_from: int | float | None = Field(
        default=None, description="the value as read, when the identities proved it wrong"
    )


class Finding(_Model):
    code: str
    severity: Severity
    message: str
    paths: list[str] = Field(default_factory=list)


class Validation(_Model):
    status: Status
    findings: list[Finding] = Field(default_factory=list)


class Result(_Model):
    """One document's extraction result."""

    schema_version: str = SCHEMA_VERSION
    document: DocumentInfo
    report: ReportInfo = Field(default_factory=ReportInfo)
    active_disclosure: ActiveDisclosure2021 | ActiveDisclosure2019 | None = None
    applications: Applications2021 | Applications2019 | None = None
    reviews_and_litigation: ReviewsAndLitigation | None = None
    sections: Sections = Field(default_factory=Sections)
    tables: list[Table] = Field(default_factory=list)
    cells: dict[str, CellProvenance] = Field(default_factory=dict)
    validation: Validation

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, v: str) -> str:
        if v != SCHEMA_VERSION:
            raise ValueError(f"schema_version {v!r} is not supported (expected {SCHEMA_VERSION!r})")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> Result:
        fmt = self.report.format
        if fmt is not None:
            want_app = Applications2021 if fmt == "2021" else Applications2019
            want_act = ActiveDisclosure2021 if fmt == "2021" else ActiveDisclosure2019
            if self.applications is not None and not isinstance(self.applications, want_app):
                raise ValueError(f"applications does not follow the {fmt} format")
            if self.active_disclosure is not None and not isinstance(
                self.active_disclosure, want_act
            ):
                raise ValueError(f"active_disclosure does not follow the {fmt} format")
        status = self.validation.status
        corrected = [p for p, c in self.cells.items() if c.corrected_from is not None]
        if status == "repaired" and not corrected:
            raise ValueError("status 'repaired' needs at least one cell with corrected_from")
        if status == "valid":
            if corrected:
                raise ValueError("status 'valid' cannot carry corrected cells; use 'repaired'")
            bad = [f.code for f in self.validation.findings if f.severity != "info"]
            if bad:
                raise ValueError(f"status 'valid' cannot carry error or warning findings: {bad}")
        if status != "failed" and fmt is None:
            raise ValueError("a result that did not fail must name its format")
        return self


def load_result(data: str | bytes | dict[str, Any]) -> Result:
    """Parse and validate a result JSON (text or dict). Raises pydantic.ValidationError."""
    if isinstance(data, dict):
        return Result.model_validate(data)
    return Result.model_validate_json(data)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the result document, generated from the models."""
    schema = Result.model_json_schema()
    schema["$id"] = f"https://nianbao.invalid/schema/result-v{SCHEMA_VERSION}.json"
    schema["title"] = "Nianbao result"
    return schema
