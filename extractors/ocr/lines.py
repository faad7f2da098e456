"""Recognition inputs and decoding for a PP-OCR (CTC) line recogniser.

The recogniser was trained on lines at least 320 px wide (at height 48). Fed
narrower, a short crop reads worse, and with high confidence ("0" became "10"
at 0.94 and "O" on our samples); packed side by side with other crops into one
line it reads worse too (neighbours' context turns a column of "0" into "O",
and a character is given to the wrong crop). So every crop is padded to at
least 320 px, as PaddleOCR does; the savings are in batching crops of similar
width and in the confidence, which a doubtful character pulls down.

Pure numpy/OpenCV; the engine runs the model.
"""

from __future__ import annotations

import cv2
import numpy as np

HEIGHT = 48  # the model's input height
LINE = 320  # the narrowest input the model was trained on
STEP = 8  # px of input per CTC time step
CONF_SLACK = 0.05  # how far a reading's confidence may sit above its weakest character


def scaled(crop: np.ndarray) -> np.ndarray:
    """An RGB crop as the model's input: BGR, height 48, own width, values in [-1, 1],
    3 x 48 x W float32."""
    h, w = crop.shape[:2]
    width = max(STEP, int(np.ceil(HEIGHT * w / max(1, h))))
    bgr = cv2.cvtColor(cv2.resize(crop, (width, HEIGHT)), cv2.COLOR_RGB2BGR)
    return np.ascontiguousarray((bgr.astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1))


def _chars(probs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Greedy CTC: (class, probability, time step) of each emitted character."""
    idx = probs.argmax(axis=1)
    best = probs.max(axis=1)
    keep = np.ones(len(idx), bool)
    keep[1:] = idx[1:] != idx[:-1]
    keep &= idx != 0  # the blank
    steps = np.flatnonzero(keep)
    return idx[steps], best[steps], steps


def confidence(p: np.ndarray) -> float:
    """Mean character probability, capped by the least sure character: one digit
    read at 0.6 among sure ones must not make the number look sure."""
    if p.size == 0:
        return 0.0
    return min(float(p.mean()), float(p.min()) + CONF_SLACK)


def decode(probs: np.ndarray, chars: list[str]) -> tuple[str, float]:
    """One T x C probability row to (text, confidence)."""
    cls, p, _ = _chars(probs)
    return "".join(chars[int(k)] for k in cls), confidence(p)


def batches(widths: list[int], budget: int = 6 * LINE, spread: float = 1.3) -> list[list[int]]:
    """Indices in batches of similar width (at most `spread` apart, `budget` px of
    padded width in all), narrowest first."""
    order = sorted(range(len(widths)), key=lambda i: widths[i])
    out: list[list[int]] = []
    for i in order:
        cur = out[-1] if out else None
        if cur is not None and widths[i] <= spread * widths[cur[0]] and (
            widths[i] * (len(cur) + 1) <= budget
        ):
            cur.append(i)
        else:
            out.append([i])
    return out


def stack(inputs: list[np.ndarray], width: int | None = None) -> np.ndarray:
    """N x 3 x 48 x W: inputs padded on the right (with the normalised 0 PaddleOCR
    pads with) to the widest, and to at least `width`."""
    w = max([width or 0, *(x.shape[2] for x in inputs)])
    out = np.zeros((len(inputs), 3, HEIGHT, w), np.float32)
    for k, x in enumerate(inputs):
        out[k, :, :, : x.shape[2]] = x
    return out


__all__ = ["LINE", "batches", "confidence", "decode", "scaled", "stack"]
