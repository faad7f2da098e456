"""Every kind of bad input gets a `failed` result with a finding that says why."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest

from extractors import ExtractOptions, extract
from tests.conftest import SAMPLES

GOOD_PDF = SAMPLES / "digital" / "xingzhuang-2023.pdf"
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def _failed_with(data: bytes, name: str, code: str, **opts: int) -> str:
    result = extract(data, name, ExtractOptions(**opts) if opts else None)
    assert result.validation.status == "failed"
    [finding] = result.validation.findings
    assert finding.code == code, finding.message
    assert "Traceback" not in finding.message
    return finding.message


def _pdf(draw: object = None, **canvas_kw: object) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("zh", FONT, subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1, **canvas_kw)  # type: ignore[arg-type]
    c.setFont("zh", 12)
    y = 780
    for line in str(draw or "会议纪要\n本次会议讨论了下一年度的预算安排。").splitlines():
        c.drawString(72, y, line)
        y -= 20
    c.showPage()
    c.save()
    return buf.getvalue()


def test_empty() -> None:
    assert "empty" in _failed_with(b"", "a.pdf", "empty")


def test_truncated_pdf() -> None:
    data = GOOD_PDF.read_bytes()
    _failed_with(data[: len(data) // 3], "cut.pdf", "corrupt")


def test_corrupt_pdf() -> None:
    _failed_with(b"%PDF-1.7\n" + bytes(range(256)) * 40, "bad.pdf", "corrupt")


def test_encrypted_pdf() -> None:
    msg = _failed_with(_pdf(encrypt="secret"), "locked.pdf", "encrypted")
    assert "password" in msg


def test_thousands_of_pages() -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for _ in range(3000):
        doc.new_page(595, 842)
    buf = io.BytesIO()
    doc.save(buf)
    msg = _failed_with(buf.getvalue(), "huge.pdf", "too_large")
    assert "3000" in msg


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


def test_decompression_bomb_image() -> None:
    msg = _failed_with(_png_header_only(30000, 30000), "bomb.png", "too_large")
    assert "30000x30000" in msg


def test_file_too_large() -> None:
    _failed_with(GOOD_PDF.read_bytes(), "x.pdf", "too_large", max_bytes=1000)


@pytest.mark.parametrize("data", [b"hello, this is text\n", b"PK\x03\x04" + b"\0" * 40,
                                  b"<html><body>report</body></html>"])
def test_unsupported_types(data: bytes) -> None:
    _failed_with(data, "x.pdf", "unsupported_type")


def test_corrupt_image() -> None:
    _failed_with(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "x.png", "corrupt")


def test_a_tiff_whose_header_is_cut_off_is_corrupt() -> None:
    # The fuzz test found it: a TIFF's magic over a PDF's first bytes. Pillow warns of
    # corrupt EXIF data on opening it; that warning was no clear error for the document.
    _failed_with(b"MM\x00*" + GOOD_PDF.read_bytes()[4:], "x.tiff", "corrupt")


def test_not_a_report() -> None:
    msg = _failed_with(_pdf(), "minutes.pdf", "not_a_report")
    assert "政府信息公开工作年度报告" in msg


def test_report_title_without_tables() -> None:
    data = _pdf("某某镇人民政府2023年政府信息公开工作年度报告\n一、总体情况\n本年度工作平稳。")
    msg = _failed_with(data, "notables.pdf", "missing_table")
    assert "not found" in msg


def _title_over_illegible_table(year: int) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("zh", FONT, subfontIndex=0))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setFont("zh", 12)
    c.drawString(72, 780, f"某某镇人民政府{year}年政府信息公开工作年度报告")
    xs, ys = [72, 200, 300, 400, 500], [740 - 20 * k for k in range(11)]
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    for k, y in enumerate(ys[1:]):  # labels a threshold broke past reading
        c.drawString(76, y + 5, "丨丶丿" if k % 2 else "冫丶")
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize(("year", "fmt"), [(2023, "2021"), (2020, "2019")])
def test_tables_whose_labels_cannot_be_read_take_the_format_of_the_reports_year(
        year: int, fmt: str) -> None:
    # A black-and-white scan can leave every label of the tables illegible
    # (10351-0044): the report is still read, its numbers null and said so.
    from schemas import numbers

    result = extract(_title_over_illegible_table(year), "illegible.pdf")
    assert result.validation.status == "needs_review"
    assert result.report.year == year and result.report.format == fmt
    codes = [f.code for f in result.validation.findings]
    assert "format_uncertain" in codes and codes.count("missing_table") == 3
    assert all(v is None for v in numbers(result.model_dump(mode="json")).values())


def test_extension_that_lies_is_ignored() -> None:
    result = extract(GOOD_PDF.read_bytes(), "scan.png")
    assert result.validation.status == "valid"
    assert result.document.kind == "digital"


def test_folder_mixing_pdf_and_images() -> None:
    result = extract([("page-1.pdf", GOOD_PDF.read_bytes()), ("page-2.png", b"x")], "folder")
    assert result.validation.findings[0].code == "unsupported_type"


def test_the_document_id_is_the_content_hash(tmp_path: Path) -> None:
    import hashlib

    data = GOOD_PDF.read_bytes()
    assert extract(data, "a.pdf").document.id == hashlib.sha256(data).hexdigest()


def test_page_names_with_odd_digits_are_ordered_not_crashed_on() -> None:
    from extractors.loading import natural_key

    # "²" is a digit to str.isdigit() and not to int().
    names = ["page-10.png", "page-1²2.png", "page-2.png"]
    assert sorted(names, key=natural_key) == ["page-1²2.png", "page-2.png", "page-10.png"]
