"""Typed errors of the pipeline.

    NianbaoError                 code           HTTP  job status
    ├── InputError
    │   ├── EmptyDocument        empty          422   failed
    │   ├── UnsupportedType      unsupported_type 415 failed
    │   ├── CorruptDocument      corrupt        422   failed
    │   ├── EncryptedDocument    encrypted      422   failed
    │   └── TooLarge             too_large      413   failed
    ├── NotAReport               not_a_report   422   failed
    │   └── MissingTables        missing_table  422   failed
    └── EngineError              engine_failure 500   failed (retried first)

Every message says what is wrong and what the user can do about it. Third-party
exceptions (pypdfium2, pdfminer, Pillow, onnxruntime) are translated into these
at the boundary; nothing vendor-specific reaches a result or an API answer.
"""

from __future__ import annotations

from dataclasses import dataclass


class NianbaoError(Exception):
    code = "error"
    http_status = 500
    retryable = False

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class InputError(NianbaoError):
    code = "bad_input"
    http_status = 422


class EmptyDocument(InputError):
    code = "empty"


class UnsupportedType(InputError):
    code = "unsupported_type"
    http_status = 415


class CorruptDocument(InputError):
    code = "corrupt"


class EncryptedDocument(InputError):
    code = "encrypted"


class TooLarge(InputError):
    code = "too_large"
    http_status = 413


class NotAReport(NianbaoError):
    code = "not_a_report"
    http_status = 422


class MissingTables(NotAReport):
    """A report whose statistical tables are absent (often printed as forgotten images)."""

    code = "missing_table"


class EngineError(NianbaoError):
    code = "engine_failure"
    http_status = 500
    retryable = True


@dataclass(frozen=True)
class ErrorInfo:
    code: str
    http_status: int
    job_status: str
    retryable: bool


ERROR_TABLE: dict[str, ErrorInfo] = {
    cls.code: ErrorInfo(cls.code, cls.http_status, "failed", cls.retryable)
    for cls in (
        EmptyDocument,
        UnsupportedType,
        CorruptDocument,
        EncryptedDocument,
        TooLarge,
        NotAReport,
        MissingTables,
        EngineError,
    )
}
