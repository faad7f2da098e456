"""The default engine: PP-OCR detection, orientation and recognition models run by
ONNX Runtime through `rapidocr`, using the models shipped inside its wheel.

Model paths are given explicitly so rapidocr never tries to download anything
(production machines may have no route to a model hub).

Besides the protocol's `read_page` (rapidocr's own det + cls + rec), the engine
offers the scan path's fast call `detect` (boxes only, on a downscaled copy) and
`turned` (the orientation classifier alone);
its `recognize`, `recognize_packed` and `digit_scores` run the recognition
session directly (`extractors.ocr.lines`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import cv2
import numpy as np

from extractors.errors import EngineError
from extractors.ocr import OcrLine, bbox_of, check_image, lines

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"
T = TypeVar("T")
MIN_SCORE = 0.3  # lines below this are dropped (rapidocr's default 0.5 loses faint digits)
MAX_SIDE = 2400  # long side given to the detector; pages at 200 dpi fit untouched


def model_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self, *, threads: int = -1) -> None:
        try:
            from rapidocr import RapidOCR
        except ImportError as e:  # pragma: no cover - a dependency of the package
            raise EngineError(
                f"the rapidocr package cannot be imported ({e})",
                hint="reinstall nianbao's dependencies (pip install .)",
            ) from e
        models = model_dir()
        missing = [m for m in (DET_MODEL, REC_MODEL, CLS_MODEL) if not (models / m).is_file()]
        if missing:
            raise EngineError(
                f"OCR model files missing from {models}: {', '.join(missing)}",
                hint="reinstall rapidocr>=3.0, whose wheel ships these models",
            )
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        ort = {"intra_op_num_threads": threads, "inter_op_num_threads": 1}
        params: dict[str, Any] = {
            "Global.log_level": "error",
            "Global.text_score": MIN_SCORE,
            "Global.max_side_len": MAX_SIDE,
            "Det.model_path": str(models / DET_MODEL),
            "Rec.model_path": str(models / REC_MODEL),
            "Cls.model_path": str(models / CLS_MODEL),
            **{f"EngineConfig.onnxruntime.{k}": v for k, v in ort.items()},
        }
        try:
            self._ocr: Any = RapidOCR(params=params)
        except Exception as e:
            raise EngineError(
                f"the OCR models could not be loaded ({type(e).__name__}: {e})",
                hint="check that onnxruntime and rapidocr are installed and match",
            ) from e

    def read_page(self, image: np.ndarray) -> list[OcrLine]:
        """Every text line of an RGB page image, in reading order of the detector."""
        check_image(image)
        bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
        try:
            out = self._ocr(bgr)
        except Exception as e:
            raise EngineError(
                f"OCR failed on a page image ({type(e).__name__}: {e})",
                hint="retry; if it fails again the image may be corrupt",
            ) from e
        boxes, txts = getattr(out, "boxes", None), getattr(out, "txts", None)
        if boxes is None or txts is None:
            return []
        lines = []
        for box, text, score in zip(boxes, txts, getattr(out, "scores", ()), strict=True):
            pts = np.asarray(box, dtype=np.float64).reshape(-1, 2)
            lines.append(
                OcrLine(
                    text=str(text),
                    bbox=bbox_of(pts),
                    confidence=float(score),
                    polygon=tuple((float(x), float(y)) for x, y in pts),
                )
            )
        return lines

    def detect(self, image: np.ndarray, scale: float = 1.0) -> list[OcrLine]:
        """Text-line boxes of an RGB image, found on a copy resized by `scale`.

        Returns lines with empty text and the detector's box score as confidence,
        in the pixel coordinates of `image`, top to bottom. Raises EngineError.
        """
        check_image(image)
        h, w = image.shape[:2]
        sh, sw = (max(32, round(v * scale / 32) * 32) for v in (h, w))
        bgr = cv2.cvtColor(cv2.resize(image, (sw, sh), interpolation=cv2.INTER_AREA),
                           cv2.COLOR_RGB2BGR)
        x = (bgr.astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1)[np.newaxis]
        try:
            det = self._ocr._load_det_model()
            preds = det.session(np.ascontiguousarray(x))
            boxes, scores = det.postprocess_op(preds, (h, w))
        except Exception as e:
            raise EngineError(
                f"text detection failed ({type(e).__name__}: {e})",
                hint="retry; if it fails again the image may be corrupt",
            ) from e
        if len(boxes) == 0:
            return []
        order = sorted(
            range(len(boxes)), key=lambda i: (float(boxes[i][0][1]), float(boxes[i][0][0]))
        )
        lines = []
        for i in order:
            pts = np.asarray(boxes[i], dtype=np.float64).reshape(-1, 2)
            lines.append(OcrLine(text="", bbox=bbox_of(pts), confidence=float(scores[i]),
                                 polygon=tuple((float(a), float(b)) for a, b in pts)))
        return lines

    def turned(self, crops: list[np.ndarray]) -> list[float]:
        """For each RGB text-line crop, the probability that it is upside down, by
        PP-OCR's text-line orientation classifier. Raises EngineError."""
        if not crops:
            return []
        for c in crops:
            check_image(c)
        try:
            cls = self._ocr._load_cls_model()
            out = cls([cv2.cvtColor(c, cv2.COLOR_RGB2BGR) for c in crops])
        except Exception as e:
            raise EngineError(
                f"text orientation failed ({type(e).__name__}: {e})",
                hint="retry; if it fails again the image may be corrupt",
            ) from e
        return [float(s) if "180" in label else 1.0 - float(s) for label, s in out.cls_res]

    def digit_scores(self, crops: list[np.ndarray]) -> list[np.ndarray]:
        """The recogniser's probabilities for each RGB crop, folded onto
        `lines.DIGIT_CLASSES` (T x 14). Raises EngineError."""
        columns: tuple[list[int], list[int], list[int]] | None = None

        def fold(row: np.ndarray, chars: list[str]) -> np.ndarray:
            nonlocal columns
            columns = columns or lines.fold_columns(chars)
            return lines.fold(row, columns)

        return self._run(crops, fold)

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        """Recognise each RGB crop as a single text line.

        Crops are read at their own width (at least 320 px at height 48, the
        model's training range), one to a run (`extractors.ocr.lines`). The
        confidence is the mean of the characters' probabilities, capped just above
        the least sure one. Raises EngineError.
        """
        return self._run(crops, lines.decode)

    def recognize_packed(self, crops: list[np.ndarray], *, width: int = lines.PACK_WIDTH,
                         gap: int = lines.GAP) -> list[tuple[str, float]]:
        """Recognise RGB crops packed several to an input line of about `width` px
        (`lines.packs`), `gap` px of paper between them, a character given to the
        crop it stands on. A short crop costs a share of a line instead of a whole
        320 px one; digits read so may take their neighbours' context, so callers
        keep only the readings that are words, or numbers read very surely.
        Raises EngineError."""
        inputs = self._inputs(crops)
        groups = lines.packs([x.shape[2] for x in inputs], width, gap)
        packed = [lines.pack([inputs[i] for i in g], gap) for g in groups]
        rows, chars = self._rows([line for line, _spans in packed])
        out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
        for group, (_line, spans), row in zip(groups, packed, rows, strict=True):
            for i, reading in zip(group, lines.split(row, spans, chars), strict=True):
                out[i] = reading
        return out

    def _run(self, crops: list[np.ndarray], read: Callable[[np.ndarray, list[str]], T]) -> list[T]:
        """`read` of the recogniser's T x C output for each crop."""
        rows, chars = self._rows(self._inputs(crops))
        return [read(row, chars) for row in rows]

    @staticmethod
    def _inputs(crops: list[np.ndarray]) -> list[np.ndarray]:
        for c in crops:
            check_image(c)
        return [lines.scaled(c) for c in crops]

    def _rows(self, inputs: list[np.ndarray]) -> tuple[list[np.ndarray], list[str]]:
        """The recogniser's T x C output for each model input, and its alphabet."""
        if not inputs:
            return [], []
        try:
            rec = self._ocr._load_rec_model()
            # one input a run: a batch pads each to its widest, and runs slower here
            return ([rec.session(lines.stack([x], lines.LINE))[0] for x in inputs],
                    list(rec.postprocess_op.character))
        except Exception as e:
            raise EngineError(
                f"OCR recognition failed ({type(e).__name__}: {e})",
                hint="retry; if it fails again the image may be corrupt",
            ) from e
