"""A red official seal (公章): a ring, the issuer's name around it, a star in the middle."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from samples.generator.fonts import font_file

SEAL_RED = (210, 30, 35)


def seal_image(text: str, radius: int, *, bottom: str = "", angle: float = 0.0) -> Image.Image:
    """An RGBA image 2*radius square: opaque red strokes on transparent ground."""
    size = 2 * radius
    img = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(img)
    ring = max(2, radius // 16)
    d.ellipse([ring, ring, size - ring, size - ring], outline=255, width=ring)
    # five-pointed star
    r_out, r_in = radius * 0.30, radius * 0.12
    pts = []
    for k in range(10):
        a = -math.pi / 2 + k * math.pi / 5
        r = r_out if k % 2 == 0 else r_in
        pts.append((radius + r * math.cos(a), radius + r * math.sin(a)))
    d.polygon(pts, fill=255)
    font_px = max(8, int(radius * 0.24))
    font = ImageFont.truetype(str(font_file("wqy-zenhei")), font_px)
    # the name along the upper arc, each character turned to face the centre
    span = min(260.0, 24.0 * len(text))
    r_text = radius - ring * 2 - font_px * 0.65
    for i, ch in enumerate(text):
        deg = -90 - span / 2 + span * (i + 0.5) / len(text)
        a = math.radians(deg)
        glyph = Image.new("L", (font_px * 2, font_px * 2), 0)
        ImageDraw.Draw(glyph).text((font_px, font_px), ch, fill=255, font=font, anchor="mm")
        glyph = glyph.rotate(-(deg + 90), resample=Image.Resampling.BICUBIC)
        cx, cy = radius + r_text * math.cos(a), radius + r_text * math.sin(a)
        img.paste(255, (int(cx - font_px), int(cy - font_px)), glyph)
    if bottom:
        bfont = ImageFont.truetype(str(font_file("wqy-zenhei")), max(8, int(radius * 0.16)))
        d.text((radius, radius * 1.5), bottom, fill=255, font=bfont, anchor="mm")
    if angle:
        img = img.rotate(angle, resample=Image.Resampling.BICUBIC)
    rgba = Image.new("RGBA", (size, size), (*SEAL_RED, 0))
    rgba.putalpha(img)
    return rgba


def stamp(
    page: np.ndarray, seal: Image.Image, center: tuple[int, int], opacity: float
) -> np.ndarray:
    """Multiply the seal onto an RGB uint8 page (ink over ink), clipped at the edges."""
    out = page.astype(np.float32)
    arr = np.asarray(seal).astype(np.float32)
    h, w = arr.shape[:2]
    x0, y0 = center[0] - w // 2, center[1] - h // 2
    px0, py0 = max(0, x0), max(0, y0)
    px1, py1 = min(page.shape[1], x0 + w), min(page.shape[0], y0 + h)
    if px1 <= px0 or py1 <= py0:
        return page
    s = arr[py0 - y0 : py1 - y0, px0 - x0 : px1 - x0]
    m = (s[..., 3:4] / 255.0) * opacity
    region = out[py0:py1, px0:px1]
    out[py0:py1, px0:px1] = region * (1 - m) + region * (s[..., :3] / 255.0) * m
    return np.clip(out, 0, 255).astype(np.uint8)
