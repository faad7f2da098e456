"""Title, issuer and year from the text outside the tables."""

from __future__ import annotations

from pathlib import Path

from extractors.metadata import Line, read_report_info
from extractors.text import simplified


def test_traditional_forms_the_recogniser_gives_are_read_as_the_simplified_ones() -> None:
    # A light 200-dpi scan: the recogniser read 黄渡镇 as 黃渡镇, and the issuer was
    # wrong; the title's last words read in traditional forms are not found at all.
    lines = [Line(1, 40.0, 100.0, "黃渡镇人民政府2023年政府信息公開工作年度報告"),
             Line(1, 90.0, 60.0, "一、总体情况")]
    info = read_report_info(lines)
    assert info.issuer == "黄渡镇人民政府"
    assert info.year == 2023
    assert info.title == "黄渡镇人民政府2023年政府信息公开工作年度报告"
    assert simplified("行政訴訟") == "行政诉讼"


def test_a_title_with_one_of_its_fixed_words_misread_is_still_the_title() -> None:
    # a black-and-white scan broke 工 into 二 (10665-0005); the title wraps
    lines = [Line(1, 40.0, 100.0, "滦南县东城街道办事处2021年政府信息公开二"),
             Line(1, 80.0, 300.0, "作年度报告"),
             Line(1, 120.0, 60.0, "本报告根据《中华人民共和国政府信息公开条例》")]
    info = read_report_info(lines)
    assert (info.issuer, info.year) == ("滦南县东城街道办事处", 2021)
    assert info.title == "滦南县东城街道办事处2021年政府信息公开工作年度报告"
    # two misread are too many: no title is made up
    lines[1] = Line(1, 80.0, 300.0, "作年度报吉")
    assert read_report_info(lines).year is None


def test_no_simplified_character_of_the_reports_is_changed() -> None:
    # The issuers the generator draws from, the template and a real report's text.
    root = Path(__file__).parent.parent
    texts = [p.read_text(encoding="utf-8") for p in (
        root / "samples/generator/issuers.py",
        root / "samples/generator/prose.py",
        root.parent / "shared/TEMPLATE.md",
        root.parent / "shared/seeds/xingzhuang-2023.txt",
    ) if p.exists()]
    assert len(texts) >= 2
    for text in texts:
        assert simplified(text) == text
