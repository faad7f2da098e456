"""The result contract: pydantic models, dotted paths and identities."""

from schemas.access import get_path, numbers, set_path, unflatten
from schemas.identities import check, check_carry_over_chain, identities
from schemas.paths import (
    APPLICANT_COLUMNS,
    APPLICATION_ROWS,
    FORMATS,
    Format,
    number_paths,
)
from schemas.result import (
    SCHEMA_VERSION,
    CellProvenance,
    DocumentInfo,
    Finding,
    ReportInfo,
    Result,
    Sections,
    Table,
    TableCell,
    Validation,
    json_schema,
    load_result,
)

__all__ = [
    "APPLICANT_COLUMNS",
    "APPLICATION_ROWS",
    "FORMATS",
    "SCHEMA_VERSION",
    "CellProvenance",
    "DocumentInfo",
    "Finding",
    "Format",
    "ReportInfo",
    "Result",
    "Sections",
    "Table",
    "TableCell",
    "Validation",
    "check",
    "check_carry_over_chain",
    "get_path",
    "identities",
    "json_schema",
    "load_result",
    "number_paths",
    "numbers",
    "set_path",
    "unflatten",
]
