"""Limits and engine choices for one extraction, with safe defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExtractOptions:
    max_bytes: int = 200 * 1024 * 1024  # one document
    max_pages: int = 200
    max_pixels: int = 80_000_000  # per page image, decoded (bomb guard)
    ocr_engine: str = "rapidocr"  # "rapidocr" (embedded default) or "paddle"
    ocr_model_dir: str | None = None  # paddle engine: directory of the user's models
    scan_dpi: int = 200  # rasterisation of image-only PDF pages for OCR
