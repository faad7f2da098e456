"""Stage 1: recognise the input's type from its bytes and open it, within limits.

Third-party errors (pypdfium2, pdfminer, Pillow) are translated here into the
typed errors of `extractors.errors`.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from extractors.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    TooLarge,
    UnsupportedType,
)
from extractors.options import ExtractOptions

FileType = Literal["pdf", "png", "jpeg", "tiff", "bmp", "webp", "folder"]

_MAGIC: tuple[tuple[bytes, FileType], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"BM", "bmp"),
)


def sniff(data: bytes) -> FileType:
    """The file type from its content (never from its name)."""
    if not data:
        raise EmptyDocument("The file is empty (0 bytes).", hint="Upload the document again.")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"PK\x03\x04"):
        raise UnsupportedType(
            "The file is a zip archive, not a document.",
            hint="Unpack it, or upload it through the batch API, which expands zips.",
        )
    if not data.strip():
        raise EmptyDocument("The file holds only blank bytes.", hint="Upload the document again.")
    raise UnsupportedType(
        "The file is not a PDF, PNG, JPEG, TIFF, BMP or WebP document.",
        hint="Supported inputs: PDF (born-digital or scanned), page images, multi-page TIFF, "
        "or a folder of page images.",
    )


@dataclass
class PageSource:
    """One page before reading: a PDF page index, or a decoded image."""

    number: int  # 1-based
    pdf_index: int | None = None
    image: Any = None  # numpy RGB array for image inputs
    name: str = ""


@dataclass
class LoadedDocument:
    sha256: str
    filename: str
    file_type: FileType
    pages: list[PageSource]
    pdf: Any = None  # pdfplumber.PDF
    pdfium: Any = None  # pypdfium2.PdfDocument
    _closers: list[Any] = field(default_factory=list)

    def close(self) -> None:
        for obj in self._closers:
            try:
                obj.close()
            except Exception:  # closing must never mask the real outcome
                pass


def natural_key(name: str) -> list[Any]:
    """Order page-2 before page-10."""
    # Odd places hold the runs of digits; a superscript "²" is a digit to isdigit()
    # but not to int(), so the position decides, not the characters.
    return [int(t) if i % 2 else t.lower() for i, t in enumerate(re.split(r"(\d+)", name))]


def digest(source: bytes | Sequence[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    if isinstance(source, bytes):
        h.update(source)
    else:
        for name, data in sorted(source, key=lambda p: natural_key(p[0])):
            h.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()


def load(
    source: bytes | Sequence[tuple[str, bytes]], filename: str, options: ExtractOptions
) -> LoadedDocument:
    """Open a document. Raises an `InputError` subclass that says what is wrong."""
    sha = digest(source)
    if not isinstance(source, bytes):
        return _load_folder(source, filename, sha, options)
    if len(source) > options.max_bytes:
        raise TooLarge(
            f"The file is {len(source) / 2**20:.0f} MiB; the limit is "
            f"{options.max_bytes / 2**20:.0f} MiB.",
            hint="Split the document, or raise NIANBAO_MAX_BYTES.",
        )
    kind = sniff(source)
    if kind == "pdf":
        return _load_pdf(source, filename, sha, options)
    images = list(_decode_images(source, options, filename))
    pages = [PageSource(number=i + 1, image=img, name=filename) for i, img in enumerate(images)]
    return LoadedDocument(sha, filename, kind, pages)


def _load_folder(
    source: Sequence[tuple[str, bytes]], filename: str, sha: str, options: ExtractOptions
) -> LoadedDocument:
    entries = sorted(source, key=lambda p: natural_key(p[0]))
    if not entries:
        raise EmptyDocument("The folder holds no page images.", hint="Add the page images.")
    if sum(len(d) for _, d in entries) > options.max_bytes:
        raise TooLarge(
            "The page images together exceed the size limit.", hint="Raise NIANBAO_MAX_BYTES."
        )
    pages: list[PageSource] = []
    for name, data in entries:
        kind = sniff(data)
        if kind == "pdf":
            raise UnsupportedType(
                f"The folder mixes a PDF ({name}) with page images.",
                hint="A folder is one document of page images; upload PDFs on their own.",
            )
        for img in _decode_images(data, options, name):
            pages.append(PageSource(number=len(pages) + 1, image=img, name=name))
            if len(pages) > options.max_pages:
                raise _too_many_pages(len(pages), options)
    return LoadedDocument(sha, filename, "folder", pages)


def _too_many_pages(n: int, options: ExtractOptions) -> TooLarge:
    return TooLarge(
        f"The document has {n} or more pages; the limit is {options.max_pages}.",
        hint="An annual report has a few pages: check the upload, or raise NIANBAO_MAX_PAGES.",
    )


@contextmanager
def _pillow_quiet() -> Iterator[None]:
    """Pillow's warnings about damaged metadata it reads past ("Corrupt EXIF data"):
    damage that matters raises, and becomes the document's error. Scoped to each
    call, as `_decode_images` yields between them."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield


def _decode_images(data: bytes, options: ExtractOptions, name: str) -> Iterator[Any]:
    import numpy as np
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        # The pixel limit is ours: check the header's size before decoding anything.
        Image.MAX_IMAGE_PIXELS = None
        with _pillow_quiet():
            im = Image.open(io.BytesIO(data))
            frames = getattr(im, "n_frames", 1)
        if frames > options.max_pages:
            raise _too_many_pages(frames, options)
        for i in range(frames):
            with _pillow_quiet():
                im.seek(i)
            w, h = im.size
            if w * h > options.max_pixels:
                raise TooLarge(
                    f"Page image {name} is {w}x{h} pixels; the limit is "
                    f"{options.max_pixels:,} pixels per page.",
                    hint="Scan at 200-300 dpi, or raise NIANBAO_MAX_PIXELS.",
                )
            with _pillow_quiet():
                frame = ImageOps.exif_transpose(im) if i == 0 else im
                pixels = np.asarray(frame.convert("RGB"))
            yield pixels
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise CorruptDocument(
            f"The image {name} cannot be decoded ({type(exc).__name__}).",
            hint="The file is damaged or truncated: export or scan it again.",
        ) from exc


def _load_pdf(data: bytes, filename: str, sha: str, options: ExtractOptions) -> LoadedDocument:
    import pdfplumber
    import pypdfium2 as pdfium

    try:
        pdfium_doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text or "security" in text:
            raise EncryptedDocument(
                "The PDF is encrypted with a password.",
                hint="Upload a copy without a password (print to PDF, or remove the protection).",
            ) from exc
        raise CorruptDocument(
            "The PDF is damaged and cannot be opened.",
            hint="Download or export the PDF again; the file may be truncated.",
        ) from exc
    n = len(pdfium_doc)
    if n == 0:
        pdfium_doc.close()
        raise EmptyDocument("The PDF has no pages.", hint="Upload the complete report.")
    if n > options.max_pages:
        pdfium_doc.close()
        raise _too_many_pages(n, options)
    try:
        plumber = pdfplumber.open(io.BytesIO(data))
        _ = plumber.pages  # parse the page tree now, so damage shows here
    except Exception as exc:  # pdfminer raises many unrelated types for damaged files
        pdfium_doc.close()
        if "password" in type(exc).__name__.lower() or "encrypt" in str(exc).lower():
            raise EncryptedDocument(
                "The PDF is encrypted.", hint="Upload a copy without protection."
            ) from exc
        raise CorruptDocument(
            "The PDF's structure is damaged.", hint="Export or download the PDF again."
        ) from exc
    pages = [PageSource(number=i + 1, pdf_index=i) for i in range(n)]
    return LoadedDocument(
        sha, filename, "pdf", pages, pdf=plumber, pdfium=pdfium_doc, _closers=[plumber, pdfium_doc]
    )
