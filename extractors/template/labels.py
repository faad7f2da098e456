"""Tolerant label matching: printed wording drifts, OCR misreads characters."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher

_KEEP = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
# Traditional and Japanese forms the recogniser sometimes gives for the simplified
# characters of the template's labels ("本年处理決定数量").
_VARIANTS = str.maketrans({p[0]: p[1] for p in """
決决 処处 處处 數数 許许 請请 開开 発发 發发 規规 範范 機机 構构 業业 組组
織织 會会 復复 議议 訟讼 結结 転转 轉转 維维 護护 糾纠 審审 総总 總总 計计
項项 務务 関关 關关 係系 費费 額额 購购 條条 為为 內内 応应 應应 屬属 経经
經经 証证 證证 後后 實实 體体 歸归 檔档 無无 補补 錄录 収收 對对 対对 続续
續续 済济 濟济 價价 価价 報报 門门 單单 単单 統统
""".split()})
_NUMBERING = re.compile(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,2})(?=[\u4e00-\u9fff])")


def squash(text: str) -> str:
    """Only CJK characters, digits and letters: punctuation and spaces vary too much."""
    t = unicodedata.normalize("NFKC", text).translate(_VARIANTS)
    return "".join(_KEEP.findall(t))


def core(text: str) -> str:
    """A label without its numbering (一、 / （三） / 2.)."""
    return _NUMBERING.sub("", squash(text), count=1)


def similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if b in a or a in b:
        shorter, longer = sorted((len(a), len(b)))
        return 0.9 * (0.5 + 0.5 * shorter / longer)
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def best_match(text: str, candidates: Iterable[tuple[str, str]],
               threshold: float = 0.6) -> tuple[str | None, float]:
    """The key whose label is most like `text` (both reduced to `core`)."""
    t = core(text)
    best, score = None, 0.0
    for key, label in candidates:
        s = similarity(t, core(label))
        if s > score:
            best, score = key, s
    return (best, score) if score >= threshold else (None, score)


def has_word(text: str, word: str) -> bool:
    """`word` in `text`, one character misread or lost allowed in words of four or more."""
    if word in text:
        return True
    n = len(word)
    if n < 4:
        return False
    if any(word[:i] + word[i + 1 :] in text for i in range(n)):
        return True
    return any(
        sum(a != b for a, b in zip(text[i : i + n], word, strict=True)) <= 1
        for i in range(len(text) - n + 1)
    )
