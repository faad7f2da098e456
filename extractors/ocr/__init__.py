"""OCR engines behind one small interface.

    OcrEngine.read_page(image)  -> text lines with boxes and confidences
    OcrEngine.recognize(crops)  -> (text, confidence) per crop, no detection

and, optionally (the scan path's fast route; engines without it get full-page OCR):

    Detector.detect(image, scale) -> text-line boxes only (empty text), found on a
                                     copy of the image resized by `scale`
    Orienter.turned(crops)        -> probability that each text-line crop is upside
                                     down (a cheap classifier; orientation checks
                                     use it before comparing recognitions)
    DigitScorer.digit_scores(crops) -> the recogniser's evidence per crop, to weigh
                                     the counts the identities allow for a cell
    Packer.recognize_packed(crops) -> `recognize`, short crops read several to an
                                     input line (cheaper; for words, not digits)

`get_engine(options)` picks the engine named by `ExtractOptions.ocr_engine`
("rapidocr", the embedded default: PP-OCR models run by ONNX Runtime; or
"paddle", the user's PaddleOCR install with model directories from
`ocr_model_dir`) and keeps one instance per process, since loading the models
costs about a second. Vendor exceptions never leave an engine: they become
`extractors.errors.EngineError`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from extractors.errors import EngineError
from extractors.options import ExtractOptions

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom
Point = tuple[float, float]


@dataclass
class OcrLine:
    """One detected text line, in the pixel coordinates of the image read."""

    text: str
    bbox: BBox
    confidence: float
    polygon: tuple[Point, ...] | None = None  # 4 corners, clockwise from top-left


@runtime_checkable
class OcrEngine(Protocol):
    name: str

    def read_page(self, image: np.ndarray) -> list[OcrLine]:
        """Detect and recognise every text line of an RGB uint8 HxWx3 image."""
        ...

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """Recognise each RGB crop as one text line; one (text, confidence) per crop."""
        ...


@runtime_checkable
class Detector(Protocol):
    """An engine that can find text lines without recognising them."""

    def detect(self, image: np.ndarray, scale: float = 1.0) -> list[OcrLine]:
        """Boxes of the text lines of an RGB uint8 image, in its pixel coordinates,
        detected on a copy resized by `scale`; `text` empty, `confidence` the box score."""
        ...


@runtime_checkable
class Orienter(Protocol):
    """An engine with a text-line orientation classifier."""

    def turned(self, crops: list[np.ndarray]) -> list[float]:
        """For each RGB text-line crop, the probability that it is upside down."""
        ...


@runtime_checkable
class DigitScorer(Protocol):
    """An engine whose recogniser can say how well each count fits a crop."""

    def digit_scores(self, crops: list[np.ndarray]) -> list[np.ndarray]:
        """For each RGB crop, the recogniser's per-step probabilities folded onto
        `extractors.ocr.lines.DIGIT_CLASSES` (T x 14), for `lines.log_likelihood`."""
        ...


@runtime_checkable
class Packer(Protocol):
    """An engine whose recogniser can read several short crops on one input line."""

    def recognize_packed(self, crops: list[np.ndarray], *, width: int = ...,
                         gap: int = ...) -> list[tuple[str, float]]:
        """One (text, confidence) per RGB crop, crops read side by side on shared
        lines of about `width` px, `gap` px of paper between them: the recogniser
        sees its neighbours, so trust it for words, and for numbers only when sure."""
        ...


ENGINES = ("rapidocr", "paddle")

_cache: dict[tuple[str, str | None], OcrEngine] = {}
_lock = threading.Lock()


def get_engine(options: ExtractOptions | None = None) -> OcrEngine:
    """The engine `options` asks for, created once per process.

    Raises EngineError when the engine is unknown or its models cannot be loaded.
    """
    options = options or ExtractOptions()
    key = (options.ocr_engine, options.ocr_model_dir)
    with _lock:
        engine = _cache.get(key)
        if engine is None:
            engine = _create(options)
            _cache[key] = engine
        return engine


def _create(options: ExtractOptions) -> OcrEngine:
    if options.ocr_engine == "rapidocr":
        from extractors.ocr.rapid import RapidOcrEngine

        return RapidOcrEngine()
    if options.ocr_engine == "paddle":
        from extractors.ocr.paddle import PaddleOcrEngine

        return PaddleOcrEngine(options.ocr_model_dir)
    raise EngineError(
        f"unknown OCR engine {options.ocr_engine!r}",
        hint=f"set ocr_engine to one of: {', '.join(ENGINES)}",
    )


def bbox_of(polygon: np.ndarray | list[list[float]]) -> BBox:
    """The axis-aligned box around a polygon of (x, y) points."""
    pts = np.asarray(polygon, dtype=np.float64).reshape(-1, 2)
    return (
        float(pts[:, 0].min()),
        float(pts[:, 1].min()),
        float(pts[:, 0].max()),
        float(pts[:, 1].max()),
    )


def check_image(image: np.ndarray) -> None:
    """Raise EngineError unless `image` is an RGB uint8 HxWx3 array."""
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8 or image.ndim != 3:
        raise EngineError(
            "OCR input must be an RGB uint8 image of shape HxWx3",
            hint="convert the page image with numpy.asarray(pil_image.convert('RGB'))",
        )
    if image.shape[2] != 3 or image.shape[0] < 1 or image.shape[1] < 1:
        raise EngineError(
            f"OCR input has shape {image.shape}, expected an RGB uint8 image HxWx3",
            hint="convert the page image to RGB first",
        )


__all__ = [
    "ENGINES",
    "BBox",
    "Detector",
    "OcrEngine",
    "OcrLine",
    "Orienter",
    "Packer",
    "bbox_of",
    "check_image",
    "get_engine",
]
