"""The optional engine: the user's PaddleOCR install (`pip install .[paddle]`) with
model directories the user supplies (nothing is downloaded).

`ExtractOptions.ocr_model_dir` holds one subdirectory per model:

    <ocr_model_dir>/det   text detection (inference model)
    <ocr_model_dir>/rec   text recognition
    <ocr_model_dir>/cls   text-line orientation (optional)

Both PaddleOCR APIs are supported: 3.x (`PaddleOCR(...).predict`,
`TextRecognition`) and 2.x (`PaddleOCR(...).ocr`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np

from extractors.errors import EngineError
from extractors.ocr import OcrLine, bbox_of, check_image


def _models(model_dir: str | None) -> dict[str, Path | None]:
    if not model_dir:
        raise EngineError(
            "the paddle OCR engine needs a model directory",
            hint="set ocr_model_dir to a directory holding det/, rec/ and optionally cls/",
        )
    root = Path(model_dir)
    found: dict[str, Path | None] = {}
    for sub in ("det", "rec", "cls"):
        p = root / sub
        found[sub] = p if p.is_dir() else None
    missing = [s for s in ("det", "rec") if found[s] is None]
    if missing:
        raise EngineError(
            f"paddle OCR models missing under {root}: {', '.join(m + '/' for m in missing)}",
            hint="export PaddleOCR inference models into det/ and rec/ (cls/ optional)",
        )
    return found


class PaddleOcrEngine:
    name = "paddle"

    def __init__(self, model_dir: str | None) -> None:
        models = _models(model_dir)
        try:
            import paddleocr
        except ImportError as e:
            raise EngineError(
                "the paddle OCR engine needs the paddleocr package",
                hint="pip install '.[paddle]' (and paddlepaddle), or use ocr_engine='rapidocr'",
            ) from e
        det, rec, cls = str(models["det"]), str(models["rec"]), models["cls"]
        self._v3 = hasattr(paddleocr, "TextRecognition")
        try:
            if self._v3:
                self._ocr: Any = paddleocr.PaddleOCR(
                    text_detection_model_dir=det,
                    text_recognition_model_dir=rec,
                    textline_orientation_model_dir=str(cls) if cls else None,
                    use_textline_orientation=cls is not None,
                    use_doc_orientation_classify=False,
                    use_doc_unwarping=False,
                )
                self._rec: Any = paddleocr.TextRecognition(model_dir=rec)
            else:
                self._ocr = paddleocr.PaddleOCR(
                    det_model_dir=det,
                    rec_model_dir=rec,
                    cls_model_dir=str(cls) if cls else None,
                    use_angle_cls=cls is not None,
                    show_log=False,
                )
                self._rec = None
        except Exception as e:
            raise EngineError(
                f"PaddleOCR could not load the models in {model_dir} ({type(e).__name__}: {e})",
                hint="check that the directories hold PaddleOCR inference models",
            ) from e
        self._cls = cls is not None

    def read_page(self, image: np.ndarray) -> list[OcrLine]:
        check_image(image)
        bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
        try:
            if self._v3:
                return list(self._lines_v3(self._ocr.predict(bgr)))
            return list(self._lines_v2(self._ocr.ocr(bgr, cls=self._cls)))
        except EngineError:
            raise
        except Exception as e:
            raise EngineError(
                f"PaddleOCR failed on a page image ({type(e).__name__}: {e})",
                hint="retry, or switch to ocr_engine='rapidocr'",
            ) from e

    def recognize(self, crops: list[np.ndarray]) -> list[tuple[str, float]]:
        if not crops:
            return []
        for c in crops:
            check_image(c)
        bgr = [cv2.cvtColor(c, cv2.COLOR_RGB2BGR) for c in crops]
        try:
            if self._v3:
                out = list(self._rec.predict(input=bgr))
                got = [(str(r["rec_text"]), float(r["rec_score"])) for r in out]
            else:
                got = []
                for crop in bgr:
                    res = self._ocr.ocr(crop, det=False, cls=False)
                    text, score = (res[0] or [("", 0.0)])[0]
                    got.append((str(text), float(score)))
        except Exception as e:
            raise EngineError(
                f"PaddleOCR recognition failed ({type(e).__name__}: {e})",
                hint="retry, or switch to ocr_engine='rapidocr'",
            ) from e
        if len(got) != len(crops):
            raise EngineError(
                f"PaddleOCR returned {len(got)} readings for {len(crops)} crops",
                hint="check the installed paddleocr version (2.7+ or 3.x)",
            )
        return got

    @staticmethod
    def _lines_v3(results: Any) -> list[OcrLine]:
        lines = []
        for res in results:
            for poly, text, score in zip(
                res["rec_polys"], res["rec_texts"], res["rec_scores"], strict=True
            ):
                lines.append(_line(poly, text, score))
        return lines

    @staticmethod
    def _lines_v2(results: Any) -> list[OcrLine]:
        lines = []
        for page in results or []:
            for poly, (text, score) in page or []:
                lines.append(_line(poly, text, score))
        return lines


def _line(poly: Any, text: Any, score: Any) -> OcrLine:
    pts = np.asarray(poly, dtype=np.float64).reshape(-1, 2)
    return OcrLine(
        text=str(text),
        bbox=bbox_of(pts),
        confidence=float(score),
        polygon=tuple((float(x), float(y)) for x, y in pts),
    )
