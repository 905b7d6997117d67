"""Uploaded evidence files: the type is decided by the content, never the
name, and whatever could run in a browser is refused.

Accepted: PNG, JPEG, GIF and WebP images (decoded and re-encoded, which
drops EXIF and any other metadata, with a thumbnail) and PDF documents
without JavaScript. A file whose name promises another type, an SVG, HTML,
a file with bytes after the end of its image or document (a polyglot), or
one over the size limit is refused with a message, and nothing is stored.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

THUMBNAIL_SIZE = (320, 320)
# Decoding bombs: refuse images larger than this many pixels.
MAX_PIXELS = 40_000_000
# Markup a browser would run if it ever sniffed the file as a page.
ACTIVE_MARKUP = re.compile(rb"<\s*(?:script|html|svg|iframe|object|embed)\b", re.IGNORECASE)
PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFile|OpenAction|AA)\b")

KINDS = {
    "png": ("image/png", {".png"}),
    "jpeg": ("image/jpeg", {".jpg", ".jpeg"}),
    "gif": ("image/gif", {".gif"}),
    "webp": ("image/webp", {".webp"}),
    "pdf": ("application/pdf", {".pdf"}),
}
LABELS = {"png": "a PNG image", "jpeg": "a JPEG image", "gif": "a GIF image"}
LABELS |= {"webp": "a WebP image", "pdf": "a PDF document"}


class UploadRejected(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Checked:
    data: bytes
    content_type: str
    extension: str
    sha256: str
    thumbnail: bytes | None


def sniff(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data.startswith(b"%PDF-"):
        return "pdf"
    return None


def _trailing(kind: str, data: bytes) -> bool:
    """Bytes after the format's own end: the mark of a polyglot."""
    if kind == "png":
        end = data.rfind(b"IEND")
        return end < 0 or len(data) != end + 8
    if kind == "jpeg":
        return not data.rstrip(b"\x00").endswith(b"\xff\xd9")
    if kind == "gif":
        return not data.endswith(b"\x3b")
    if kind == "webp":
        return int.from_bytes(data[4:8], "little") + 8 != len(data)
    end = data.rfind(b"%%EOF")
    return end < 0 or data[end + 5 :].strip() != b""


def _describe(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if b"<svg" in head or (head.startswith(b"<?xml") and b"<svg" in data[:4096].lower()):
        return "an SVG image, which can carry scripts"
    if head.startswith((b"<!doctype html", b"<html")) or b"<script" in head:
        return "a web page"
    return "of a type that is not accepted"


def _reencode(kind: str, data: bytes) -> tuple[bytes, bytes]:
    """Decode and encode again without metadata; returns (image, thumbnail)."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if kind == "jpeg":
                image = image.convert("RGB")
                save_as, options = "JPEG", {"quality": 90}
            elif kind == "webp":
                save_as, options = "WEBP", {"quality": 90}
            else:
                # GIF keeps its first frame, as a PNG (a still is the evidence).
                if image.mode not in ("RGB", "RGBA", "L", "LA"):
                    image = image.convert("RGBA")
                save_as, options = "PNG", {}
            out = io.BytesIO()
            image.save(out, save_as, **options)
            thumb = image.copy()
            thumb.thumbnail(THUMBNAIL_SIZE)
            if thumb.mode not in ("RGB", "RGBA", "L", "LA"):
                thumb = thumb.convert("RGBA")
            thumb_out = io.BytesIO()
            thumb.save(thumb_out, "PNG")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise UploadRejected(f"The image cannot be read ({error}).") from None
    except Image.DecompressionBombError:
        raise UploadRejected(f"The image is larger than {MAX_PIXELS:,} pixels.") from None
    return out.getvalue(), thumb_out.getvalue()


def check(data: bytes, *, name: str) -> Checked:
    """Check an uploaded file; raises ``UploadRejected`` saying why not."""
    limit = settings.FACTCHECK_UPLOAD_MAX_BYTES
    if len(data) > limit:
        raise UploadRejected(f"The file is {len(data):,} bytes; the limit is {limit:,} bytes.")
    if not data:
        raise UploadRejected("The file is empty.")
    kind = sniff(data)
    if kind is None:
        raise UploadRejected(
            f"The file is {_describe(data)}. Upload a PNG, JPEG, GIF or WebP image or a PDF."
        )
    content_type, suffixes = KINDS[kind]
    suffix = PurePath(name).suffix.lower()
    if suffix not in suffixes:
        raise UploadRejected(
            f"The file is named “{PurePath(name).name}” but its content is {LABELS[kind]}; "
            "rename it or upload the right file."
        )
    if _trailing(kind, data) or ACTIVE_MARKUP.search(data):
        raise UploadRejected(
            f"The file is {LABELS[kind]} with something else inside it (a polyglot file); "
            "export it again and upload the clean copy."
        )
    if kind == "pdf":
        if PDF_ACTIVE.search(data):
            raise UploadRejected(
                "The PDF contains scripts, actions or embedded files; print it to a new PDF "
                "and upload that."
            )
        stored, thumbnail, extension = data, None, ".pdf"
    else:
        stored, thumbnail = _reencode(kind, data)
        extension = {"jpeg": ".jpg", "webp": ".webp"}.get(kind, ".png")
        content_type = {"jpeg": "image/jpeg", "webp": "image/webp"}.get(kind, "image/png")
    return Checked(
        data=stored,
        content_type=content_type,
        extension=extension,
        sha256=hashlib.sha256(stored).hexdigest(),
        thumbnail=thumbnail,
    )


def store(name: str, data: bytes) -> str:
    """Store ``data`` under a content-addressed ``name``; a file left half
    written by a killed worker is replaced, a complete one is kept."""
    if default_storage.exists(name):
        if default_storage.size(name) == len(data):
            return name
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(data))


def save(checked: Checked) -> tuple[str, str]:
    """Store a checked upload and its thumbnail; returns their names."""
    prefix = f"evidence/{checked.sha256[:2]}/{checked.sha256}"
    name = store(prefix + checked.extension, checked.data)
    thumbnail = store(prefix + ".thumb.png", checked.thumbnail) if checked.thumbnail else ""
    return name, thumbnail
