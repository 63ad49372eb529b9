"""Photos of a report (现场照片): checked, cleaned and named by their hash — in memory, nothing stored here.

Every photo is decoded by Pillow (a file that does not decode as JPEG, PNG or WebP is refused, whatever
its name says), bounded in bytes and pixels (a decompression bomb is refused before it is decoded),
turned upright and re-encoded as JPEG *without* any metadata: EXIF with its GPS position, XMP and
comments are gone, because only the pixels are written. The stored name is the SHA-256 of the bytes
stored, so the same photo sent twice is stored once and an appeal refers to it by hash.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from liandong.core.errors import InvalidInput
from liandong.portal.rules import Photos

FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class CleanPhoto:  # 处理后的照片
    data: bytes  # JPEG, no metadata
    sha256: str
    width: int
    height: int
    name: str  # what the citizen called it, for their own list only


def clean_photo(raw: bytes, name: str, rules: Photos) -> CleanPhoto:
    label = _label(name)
    if len(raw) > rules.max_bytes:
        raise InvalidInput(f"照片「{label}」过大：每张不超过 {rules.max_bytes // (1024 * 1024)} MB")
    if not raw:
        raise InvalidInput(f"照片「{label}」是空文件")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(raw))
            if probe.format not in FORMATS:
                raise InvalidInput(f"「{label}」不是支持的图片格式：请上传 JPG、PNG 或 WebP 照片")
            if probe.width * probe.height > rules.max_pixels:
                raise InvalidInput(f"照片「{label}」像素过多（{probe.width}×{probe.height}），请缩小后上传")
            probe.verify()
            image = Image.open(io.BytesIO(raw))
            image.load()
    except InvalidInput:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        raise InvalidInput(f"「{label}」不是有效的图片文件：请上传 JPG、PNG 或 WebP 照片") from None
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.thumbnail((rules.max_side, rules.max_side))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)  # no exif=, no info: the metadata is not carried over
    data = out.getvalue()
    return CleanPhoto(data, hashlib.sha256(data).hexdigest(), image.width, image.height, label)


def _label(name: str) -> str:
    name = (name or "照片").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in name if ch.isprintable())[:60] or "照片"
