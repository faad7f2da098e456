"""The paddle engine adapter against the OcrEngine interface.

paddleocr cannot be installed here, so a fake `paddleocr` module is injected in
sys.modules (the one mock allowed): it records what the adapter passes and
answers in the shapes of PaddleOCR 2.x (`ocr`) and 3.x (`predict`).
"""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

from extractors.errors import EngineError
from extractors.ocr import OcrEngine, OcrLine, get_engine
from extractors.options import ExtractOptions

POLY = [[10.0, 20.0], [110.0, 22.0], [110.0, 52.0], [10.0, 50.0]]


class FakeV2:
    made: ClassVar[list[dict[str, Any]]] = []

    def __init__(self, **kwargs: Any) -> None:
        FakeV2.made.append(kwargs)
        self.calls: list[tuple[np.ndarray, dict[str, Any]]] = []

    def ocr(self, img: np.ndarray, **kw: Any) -> Any:
        self.calls.append((img, kw))
        if kw.get("det") is False:
            return [[("42", 0.97)]]
        return [[[POLY, ("予以公开", 0.99)], [POLY, ("17", 0.61)]]]


class FakeV3:
    made: ClassVar[list[dict[str, Any]]] = []

    def __init__(self, **kwargs: Any) -> None:
        FakeV3.made.append(kwargs)
        self.seen: list[np.ndarray] = []

    def predict(self, img: np.ndarray) -> list[dict[str, Any]]:
        self.seen.append(img)
        return [{"rec_polys": [np.array(POLY)], "rec_texts": ["总计"], "rec_scores": [0.95]}]


class FakeRecV3:
    def __init__(self, model_dir: str) -> None:
        self.model_dir = model_dir

    def predict(self, input: list[np.ndarray]) -> list[dict[str, Any]]:
        return [{"rec_text": str(i), "rec_score": 0.9} for i, _ in enumerate(input)]


@pytest.fixture
def models(tmp_path: Path) -> Path:
    for sub in ("det", "rec", "cls"):
        (tmp_path / sub).mkdir()
    return tmp_path


def _inject(monkeypatch: pytest.MonkeyPatch, v3: bool) -> types.ModuleType:
    mod = types.ModuleType("paddleocr")
    mod.PaddleOCR = FakeV3 if v3 else FakeV2  # type: ignore[attr-defined]
    if v3:
        mod.TextRecognition = FakeRecV3  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "paddleocr", mod)
    return mod


def _rgb() -> np.ndarray:
    img = np.zeros((60, 120, 3), np.uint8)
    img[..., 0] = 255  # pure red in RGB
    return img


def test_v2_api_behind_the_interface(monkeypatch: pytest.MonkeyPatch, models: Path) -> None:
    from extractors.ocr.paddle import PaddleOcrEngine

    _inject(monkeypatch, v3=False)
    eng = PaddleOcrEngine(str(models))
    assert isinstance(eng, OcrEngine) and eng.name == "paddle"
    made = FakeV2.made[-1]
    assert made["det_model_dir"] == str(models / "det")
    assert made["rec_model_dir"] == str(models / "rec")
    assert made["cls_model_dir"] == str(models / "cls") and made["use_angle_cls"] is True

    lines = eng.read_page(_rgb())
    assert lines == [
        OcrLine("予以公开", (10.0, 20.0, 110.0, 52.0), 0.99, tuple(map(tuple, POLY))),  # type: ignore[arg-type]
        OcrLine("17", (10.0, 20.0, 110.0, 52.0), 0.61, tuple(map(tuple, POLY))),  # type: ignore[arg-type]
    ]
    sent, kw = eng._ocr.calls[-1]
    assert sent[0, 0].tolist() == [0, 0, 255]  # handed over as BGR, as paddle expects
    assert kw == {"cls": True}
    assert eng.recognize([_rgb(), _rgb()]) == [("42", 0.97), ("42", 0.97)]
    assert eng._ocr.calls[-1][1] == {"det": False, "cls": False}


def test_v3_api_behind_the_interface(monkeypatch: pytest.MonkeyPatch, models: Path) -> None:
    from extractors.ocr.paddle import PaddleOcrEngine

    _inject(monkeypatch, v3=True)
    eng = PaddleOcrEngine(str(models))
    made = FakeV3.made[-1]
    assert made["text_detection_model_dir"] == str(models / "det")
    assert made["text_recognition_model_dir"] == str(models / "rec")
    assert made["use_doc_unwarping"] is False
    [line] = eng.read_page(_rgb())
    assert (line.text, line.bbox, line.confidence) == ("总计", (10.0, 20.0, 110.0, 52.0), 0.95)
    assert eng.recognize([_rgb()] * 3) == [("0", 0.9), ("1", 0.9), ("2", 0.9)]


def test_selected_by_options(monkeypatch: pytest.MonkeyPatch, models: Path) -> None:
    _inject(monkeypatch, v3=False)
    opts = ExtractOptions(ocr_engine="paddle", ocr_model_dir=str(models))
    eng = get_engine(opts)
    assert eng.name == "paddle"
    assert get_engine(opts) is eng


def test_no_cls_dir_turns_orientation_off(monkeypatch: pytest.MonkeyPatch, models: Path) -> None:
    from extractors.ocr.paddle import PaddleOcrEngine

    _inject(monkeypatch, v3=False)
    (models / "cls").rmdir()
    PaddleOcrEngine(str(models))
    assert FakeV2.made[-1]["use_angle_cls"] is False and FakeV2.made[-1]["cls_model_dir"] is None


def test_missing_model_dirs_say_what_to_do(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from extractors.ocr.paddle import PaddleOcrEngine

    _inject(monkeypatch, v3=False)
    with pytest.raises(EngineError, match="ocr_model_dir"):
        PaddleOcrEngine(None)
    with pytest.raises(EngineError, match="det/, rec/") as info:
        PaddleOcrEngine(str(tmp_path))
    assert info.value.hint and "export" in info.value.hint


def test_paddleocr_not_installed(monkeypatch: pytest.MonkeyPatch, models: Path) -> None:
    from extractors.ocr.paddle import PaddleOcrEngine

    monkeypatch.setitem(sys.modules, "paddleocr", None)  # import fails
    with pytest.raises(EngineError, match="needs the paddleocr package"):
        PaddleOcrEngine(str(models))


def test_paddle_exceptions_are_translated(monkeypatch: pytest.MonkeyPatch, models: Path) -> None:
    from extractors.ocr.paddle import PaddleOcrEngine

    _inject(monkeypatch, v3=False)
    eng = PaddleOcrEngine(str(models))

    def boom(*a: Any, **k: Any) -> Any:
        raise MemoryError("paddle: out of memory")

    eng._ocr.ocr = boom
    with pytest.raises(EngineError, match="PaddleOCR failed"):
        eng.read_page(_rgb())
    with pytest.raises(EngineError, match="recognition failed"):
        eng.recognize([_rgb()])
