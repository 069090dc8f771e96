"""Uploaded photos, made safe to publish: checked, re-encoded, stripped of metadata.

:func:`clean_photo` opens an upload with Pillow, refuses what is not a JPEG, PNG or WebP
picture of a sensible size and shape, and returns a new JPEG drawn from the pixels alone: no EXIF
(camera, GPS position, time), no ICC profile, no comments, nothing of the original file's
bytes. Phones' rotation flag is applied first, so the picture stands the right way up.
A phone's multi-picture JPEG (Pillow's "MPO": the photo plus depth maps or previews) is a
JPEG: its first picture is the photo.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # 5 MB: a phone photo, not a RAW file
ACCEPTED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
MIN_SIDE = 100  # pixels: smaller is no use as a face
MAX_ASPECT = 4  # the longer side at most 4 times the shorter: a face, not a banner or a sliver
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before Pillow's own limit
OUTPUT_SIDE = 600  # the longest side of the stored photo
OUTPUT_QUALITY = 85


@dataclass(frozen=True)
class PhotoProblem(Exception):
    """Why an upload was refused: ``code`` (stable) and a sentence for the person."""

    code: str
    message: str


def clean_photo(upload: IO[bytes], *, size: int | None = None) -> bytes:
    """The upload re-encoded as a metadata-free JPEG, or :class:`PhotoProblem`
    (``photo.too_large``, ``photo.not_image``, ``photo.format``, ``photo.too_small``,
    ``photo.shape``)."""
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise PhotoProblem("photo.too_large", "The photo is larger than 5 MB. Choose a smaller file.")
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoProblem("photo.too_large", "The photo is larger than 5 MB. Choose a smaller file.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or ""
            width, height = probe.size
            probe.verify()  # reads the whole file: a truncated or forged one fails here
        if kind not in ACCEPTED_FORMATS:
            raise PhotoProblem("photo.format", "The photo must be a JPEG, PNG or WebP picture.")
        if width * height > MAX_PIXELS:
            raise PhotoProblem("photo.too_large", "The photo has too many pixels. Choose a smaller picture.")
        if min(width, height) < MIN_SIDE:
            raise PhotoProblem("photo.too_small", f"The photo must be at least {MIN_SIDE} pixels on each side.")
        if max(width, height) > MAX_ASPECT * min(width, height):
            raise PhotoProblem(
                "photo.shape",
                f"The photo is too long and thin: its longer side may be at most {MAX_ASPECT} times "
                "its shorter side. Crop it around your face.",
            )
        with Image.open(io.BytesIO(data)) as image:
            image.seek(0)  # a multi-picture JPEG: the photo itself, not its depth map or preview
            image.load()
            upright = ImageOps.exif_transpose(image)
            upright.thumbnail((OUTPUT_SIDE, OUTPUT_SIDE))
            # Only the pixels cross over: a new image, with no info, exif or icc from the upload.
            pixels = Image.new("RGB", upright.size, "white")
            rgba = upright.convert("RGBA")
            pixels.paste(rgba, mask=rgba.getchannel("A"))
    except PhotoProblem:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise PhotoProblem(
            "photo.not_image", "The file is not a picture we can read. Choose a JPEG, PNG or WebP photo."
        ) from exc
    out = io.BytesIO()
    pixels.save(out, format="JPEG", quality=OUTPUT_QUALITY, optimize=True)
    return out.getvalue()
