"""The OCR engine interface: the embedded rapidocr engine on real images, and
failure translation at the boundary."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from extractors.errors import EngineError
from extractors.ocr import OcrEngine, OcrLine, get_engine
from extractors.options import ExtractOptions

FIXTURES = Path(__file__).parent / "fixtures" / "scan"


def _rgb(name: str) -> np.ndarray:
    return np.asarray(Image.open(FIXTURES / name).convert("RGB"))


@pytest.fixture(scope="module")
def engine() -> OcrEngine:
    return get_engine(ExtractOptions())


def test_engine_is_cached_and_satisfies_the_protocol(engine: OcrEngine) -> None:
    assert isinstance(engine, OcrEngine)
    assert engine.name == "rapidocr"
    assert get_engine(ExtractOptions()) is engine


def test_read_page_returns_lines_with_boxes_in_image_pixels(engine: OcrEngine) -> None:
    lines = engine.read_page(_rgb("text_lines.png"))
    assert all(isinstance(x, OcrLine) for x in lines)
    lines.sort(key=lambda x: x.bbox[1])
    texts = [x.text.replace(" ", "") for x in lines]
    assert texts == ["本年新收政府信息公开申请数量", "予以公开1836", "总计2907"]
    # Drawn at y = 15, 70, 125 (28 px font): each box sits on its own line.
    tops = [x.bbox[1] for x in lines]
    assert [round(t / 55) for t in tops] == [0, 1, 2]
    for line in lines:
        x0, top, x1, bottom = line.bbox
        assert 0 <= x0 < x1 <= 640 and 0 <= top < bottom <= 180
        assert 0.8 < line.confidence <= 1.0
        assert line.polygon is not None and len(line.polygon) == 4


def test_recognize_reads_each_crop_without_detection(engine: OcrEngine) -> None:
    strip = _rgb("digits_strip.png")
    crops = [strip[:, i * 105 : (i + 1) * 105].copy() for i in range(4)]
    got = engine.recognize(crops)
    assert [t for t, _ in got] == ["8", "306", "1579", "0"]
    assert all(0.8 < c <= 1.0 for _, c in got)
    assert engine.recognize([]) == []


def test_blank_page_reads_as_no_lines(engine: OcrEngine) -> None:
    assert engine.read_page(np.full((200, 300, 3), 255, np.uint8)) == []


@pytest.mark.parametrize(
    "bad",
    [np.zeros((10, 10), np.uint8), np.zeros((10, 10, 4), np.uint8), np.zeros((10, 10, 3))],
)
def test_wrong_image_types_are_engine_errors(engine: OcrEngine, bad: np.ndarray) -> None:
    with pytest.raises(EngineError, match="RGB uint8"):
        engine.read_page(bad)
    with pytest.raises(EngineError):
        engine.recognize([bad])


def test_unknown_engine_names_the_choices() -> None:
    with pytest.raises(EngineError) as info:
        get_engine(ExtractOptions(ocr_engine="tesseract"))
    assert "rapidocr" in str(info.value) and info.value.code == "engine_failure"


def test_runtime_failures_are_translated() -> None:
    from extractors.ocr.rapid import RapidOcrEngine

    class Crashing:
        """rapidocr's pipeline and its det/rec models, whose ONNX sessions fail."""

        class postprocess_op:  # rapidocr's attribute name
            character = ("blank", "0")

        def __call__(self, *a: object, **k: object) -> None:
            raise RuntimeError("[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : bad alloc")

        session = __call__

        def _load_rec_model(self) -> Crashing:
            return self

        _load_det_model = _load_rec_model

    eng = RapidOcrEngine()
    eng._ocr = Crashing()
    page = np.full((40, 40, 3), 255, np.uint8)
    with pytest.raises(EngineError, match="OCR failed") as info:
        eng.read_page(page)
    assert info.value.retryable
    with pytest.raises(EngineError, match="recognition failed") as info:
        eng.recognize([page])
    assert "bad alloc" in str(info.value)
    with pytest.raises(EngineError, match="detection failed") as info:
        eng.detect(page, 0.5)
    assert "bad alloc" in str(info.value) and info.value.retryable


def test_missing_models_are_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from extractors.ocr import rapid

    monkeypatch.setattr(rapid, "model_dir", lambda: tmp_path)
    with pytest.raises(EngineError, match="model files missing"):
        rapid.RapidOcrEngine()


def test_detect_alone_finds_the_lines_at_reduced_resolution(engine: OcrEngine) -> None:
    from extractors.ocr import Detector

    assert isinstance(engine, Detector)
    image = _rgb("text_lines.png")
    full = sorted(engine.read_page(image), key=lambda x: x.bbox[1])
    for scale in (1.0, 0.6):
        found = engine.detect(image, scale)
        assert [x.text for x in found] == ["", "", ""]
        # boxes come back in the image's pixels, close to full-page OCR's
        for got, ref in zip(found, full, strict=True):
            assert max(abs(a - b) for a, b in zip(got.bbox, ref.bbox, strict=True)) < 8
            assert got.polygon is not None and 0.5 < got.confidence <= 1.0
    assert engine.detect(np.full((100, 200, 3), 255, np.uint8), 0.5) == []


def test_recognize_matches_the_page_reading_on_the_page_lines(engine: OcrEngine) -> None:
    image = _rgb("text_lines.png")
    lines = sorted(engine.read_page(image), key=lambda x: x.bbox[1])
    crops = [image[int(x.bbox[1]) : int(x.bbox[3]), int(x.bbox[0]) : int(x.bbox[2])].copy()
             for x in lines]
    got = engine.recognize(crops)
    assert [t.replace(" ", "") for t, _ in got] == [x.text.replace(" ", "") for x in lines]


def test_a_doubtful_character_pulls_the_confidence_down() -> None:
    from extractors.ocr.lines import decode

    chars = ["blank", "0", "1", "7"]
    sure = np.array([[0.0, 0.0, 1.0, 0.0], [1.0, 0, 0, 0], [0.0, 0.99, 0, 0.01]])
    assert decode(sure, chars) == ("10", 0.995)
    weak = np.array([[0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 0.0], [1.0, 0, 0, 0],
                     [0.0, 0.0, 1.0, 0.0], [1.0, 0, 0, 0], [0.0, 0.0, 0.4, 0.6],
                     [1.0, 0, 0, 0], [0.0, 1.0, 0, 0]])
    text, conf = decode(weak, chars)
    assert text == "1170"  # repeats collapse, the blank separates
    assert conf == pytest.approx(0.65)  # not the mean 0.9: the 7 was a coin toss
    assert decode(np.array([[1.0, 0, 0, 0]]), chars) == ("", 0.0)


def test_orientation_classifier_tells_turned_lines(engine: OcrEngine) -> None:
    from extractors.ocr import Orienter

    assert isinstance(engine, Orienter)
    page = _rgb("text_lines.png")
    lines = sorted(engine.read_page(page), key=lambda x: x.bbox[1])
    crops = [np.ascontiguousarray(page[int(t) - 2 : int(b) + 2, int(x0) - 2 : int(x1) + 2])
             for x0, t, x1, b in (x.bbox for x in lines)]
    turned = [np.ascontiguousarray(c[::-1, ::-1]) for c in crops]
    up, down = engine.turned(crops), engine.turned(turned)
    assert float(np.mean(up)) < 0.5 < float(np.mean(down))
    assert engine.turned([]) == []


def _brute_force(scores: np.ndarray, text: str) -> float:
    """P(text) by summing every CTC path that collapses to it (tiny inputs only)."""
    import itertools

    from extractors.ocr.lines import DIGIT_CLASSES

    total = 0.0
    for path in itertools.product(range(len(DIGIT_CLASSES)), repeat=scores.shape[0]):
        collapsed = [k for i, k in enumerate(path) if k != 0 and (i == 0 or path[i - 1] != k)]
        if "".join(DIGIT_CLASSES[k] for k in collapsed) == text:
            total += float(np.prod([scores[t, k] for t, k in enumerate(path)]))
    return float(np.log(total)) if total else -np.inf


@pytest.mark.parametrize("seed", range(4))
def test_ctc_log_likelihood_sums_every_path(seed: int) -> None:
    from extractors.ocr.lines import DIGIT_CLASSES, log_likelihood

    rnd = np.random.default_rng(seed)
    scores = rnd.dirichlet(np.full(len(DIGIT_CLASSES), 0.3), size=4)
    for text in ("", "0", "7", "11", "12", "—", "无", "101"):
        want = _brute_force(scores, text)
        got = log_likelihood(scores, text)
        assert got == pytest.approx(want, abs=1e-6) if np.isfinite(want) else got == -np.inf


def test_digit_scores_weigh_the_printed_count_highest(engine: OcrEngine) -> None:
    from extractors.ocr import DigitScorer
    from extractors.ocr.lines import log_likelihood

    assert isinstance(engine, DigitScorer)
    strip = _rgb("digits_strip.png")
    crops = [strip[:, i * 105 : (i + 1) * 105].copy() for i in range(4)]
    printed = ["8", "306", "1579", "0"]
    scores = engine.digit_scores(crops)
    candidates = ["0", "3", "6", "8", "9", "36", "306", "308", "1579", "1519", "379", ""]
    for s, text in zip(scores, printed, strict=True):
        fit = {c: log_likelihood(s, c) for c in candidates}
        assert max(fit, key=fit.__getitem__) == text
        assert fit[text] > -1.0 and all(fit[c] < fit[text] - 4 for c in fit if c != text)
    assert engine.digit_scores([]) == []


def test_packs_share_lines_between_narrow_inputs_only() -> None:
    from extractors.ocr.lines import GAP, LINE, packs

    assert packs([100, 100, 100, 400, 50, 300, 300]) == [[0, 1, 2], [3], [4, 5], [6]]
    assert packs([LINE, 10]) == [[0], [1]]  # a full line stands alone
    widths = [90, 200, 150, 60, 60, 60, 60, 250, 10]
    groups = packs(widths)
    assert sorted(i for g in groups for i in g) == list(range(len(widths)))
    assert all(sum(widths[i] for i in g) + GAP * (len(g) - 1) <= 480 for g in groups)


def test_split_gives_each_character_to_the_input_it_stands_on() -> None:
    from extractors.ocr.lines import STEP, pack, split

    a, b = np.zeros((3, 48, 40), np.float32), np.zeros((3, 48, 24), np.float32)
    line, spans = pack([a, b])
    assert line.shape == (3, 48, 40 + 16 + 24) and spans == [(0, 40), (56, 80)]
    assert (line[:, :, 40:56] == 1.0).all()  # white paper between
    chars = ["blank", "予", "以", "7", " "]
    steps = line.shape[2] // STEP  # 10: steps 0-4 on a, 5-6 in the gap, 7-9 on b
    probs = np.zeros((steps, 5))
    probs[:, 0] = 1.0
    for t, k, p in ((1, 1, 0.9), (3, 2, 1.0), (5, 4, 0.3), (6, 3, 0.8), (8, 3, 1.0)):
        probs[t] = 0.0
        probs[t, 0], probs[t, k] = 1.0 - p, p
    # the space at step 5 (x = 44) is the gap's, and goes; the 7 at step 6 stands in
    # the gap past its middle (x = 52 > 48): b's
    got = split(probs, spans, chars)
    assert [t for t, _ in got] == ["予以", "77"]
    assert got[0][1] == pytest.approx(0.95)
    assert split(np.tile([1.0, 0, 0, 0, 0], (steps, 1)), spans, chars) == [("", 0.0), ("", 0.0)]


def test_recognize_packed_reads_labels_as_alone(engine: OcrEngine) -> None:
    from PIL import ImageDraw, ImageFont

    from extractors.ocr import Packer
    from extractors.ocr.lines import packs, scaled
    from samples.generator.fonts import FONTS, font_file

    assert isinstance(engine, Packer)
    font = ImageFont.truetype(str(font_file("wqy-zenhei")), 28, index=FONTS["wqy-zenhei"][1])
    labels = ["予以公开", "其他", "维持", "总计", "商业企业", "不予公开", "科研机构"]
    crops = []
    for text in labels:
        im = Image.new("RGB", (30 * len(text) + 16, 44), "white")
        ImageDraw.Draw(im).text((8, 6), text, font=font, fill="black")
        crops.append(np.asarray(im))
    assert len(packs([scaled(c).shape[2] for c in crops])) < len(crops) / 2
    got = engine.recognize_packed(crops)
    assert [t for t, _ in got] == labels
    assert all(c > 0.8 for _, c in got)
    assert engine.recognize_packed([]) == []


def test_a_cells_ink_scores_are_asked_of_the_engine_only_when_wanted(engine: OcrEngine) -> None:
    from extractors.layout import GridCell, PageLayout
    from extractors.scan import score_cells

    # Scoring every cell under a seal cost about 0.1 s a page, though the
    # identities rarely leave a choice for the scores to weigh.
    calls: list[int] = []

    class Counting:
        def digit_scores(self, crops: list[np.ndarray]) -> list[np.ndarray]:
            calls.append(len(crops))
            return engine.digit_scores(crops)  # type: ignore[attr-defined]

    strip = _rgb("digits_strip.png")
    page = PageLayout(number=1, width=strip.shape[1], height=strip.shape[0], kind="scan",
                      image=strip)
    cells = [GridCell(row=0, col=i, row_span=1, col_span=1, page=1,
                      bbox=(i * 105.0, 0.0, (i + 1) * 105.0, float(strip.shape[0])))
             for i in range(4)]
    score_cells(page, cells, Counting())  # type: ignore[arg-type]
    assert calls == []
    scores = cells[2].scores()
    assert calls == [1]
    assert cells[2].scores() is scores and calls == [1]  # kept
    from extractors.ocr.lines import log_likelihood

    assert log_likelihood(scores, "1579") > log_likelihood(scores, "1519")
