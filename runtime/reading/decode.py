"""Pictures in, float working images out: files and encoded bytes decoded, decoded pixels checked, size bounded.

A working image is float32 in [0, 1], [H, W] gray or [H, W, 3] BGR (alpha resolved), its longer side at most
WORK_SIDE. Errors carry no name; `runtime.reading.read` starts them with the picture's.
"""
import struct
from pathlib import Path

import cv2
import numpy as np

from runtime.errors import InputError

MAX_PIXELS = 40_000_000
MIN_SIDE = 8
WORK_SIDE = 640  # longer side of the working copy: ample for a 20-px result, bounded cost
REDUCED_MIN_SIDE = 2 * WORK_SIDE
HEAD_BYTES = 65536  # where a JPEG's start-of-frame segment is looked for (after its EXIF and other segments)
# A JPEG's reduced decodings, by its colour components (gray, YCbCr) and scale; others (CMYK) are decoded whole.
REDUCED_FLAGS = {1: {2: cv2.IMREAD_REDUCED_GRAYSCALE_2, 4: cv2.IMREAD_REDUCED_GRAYSCALE_4,
                     8: cv2.IMREAD_REDUCED_GRAYSCALE_8},
                 3: {2: cv2.IMREAD_REDUCED_COLOR_2, 4: cv2.IMREAD_REDUCED_COLOR_4, 8: cv2.IMREAD_REDUCED_COLOR_8}}

# OpenCV prints warnings such as "PNG input buffer is incomplete" on stderr; a file it cannot decode
# is reported by decode_bytes in one line of its own.
cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)


def file_bytes(path: Path) -> np.ndarray:
    """The bytes of an image file, uint8 [n]."""
    if path.is_dir():
        raise InputError("is a directory, not an image file")
    try:
        return np.fromfile(path, np.uint8)
    except FileNotFoundError:
        raise InputError("no such file") from None
    except OSError as error:
        raise InputError(f"cannot read ({error.strerror or error})") from None


def decode_bytes(data: bytes | np.ndarray) -> np.ndarray:
    """The working image of an encoded picture (PNG, JPEG, ...), shrunk before it is made float: less memory."""
    data = np.frombuffer(data, np.uint8) if isinstance(data, (bytes, bytearray, memoryview)) else data
    if data.size == 0:
        raise InputError("empty file")
    size, jpeg = _header(bytes(data[:HEAD_BYTES]))
    if size:
        _check_size(*size)
    try:
        image = cv2.imdecode(data, _decoding(jpeg))
    except cv2.error as error:  # raised past OpenCV's own limit of 2**30 pixels (formats not checked above)
        raise InputError(f"cannot decode image (OpenCV: {error.err})") from None
    if image is None:
        raise InputError("cannot decode image (corrupt, truncated or not an image)")
    _check_size(image.shape[1], image.shape[0])
    return as_gray_or_bgr(shrink(image, WORK_SIDE))


def encoded_size(data: bytes | np.ndarray) -> tuple[int, int] | None:
    """(width, height) of an encoded PNG, BMP or JPEG from its header, without decoding it; None for others."""
    return _header(bytes(data[:HEAD_BYTES]))[0]


def _header(head: bytes) -> tuple[tuple[int, int] | None, tuple[int, int, int] | None]:
    """The (width, height) a header says, and the JPEG frame (_jpeg_frame) if it is a JPEG's."""
    jpeg = _jpeg_frame(head)
    return (jpeg[:2] if jpeg else _png_or_bmp_size(head)), jpeg


def from_pixels(pixels: np.ndarray) -> np.ndarray:
    """The working image of decoded pixels: [H, W] gray or [H, W, 3|4] BGR(A), integers over their full range
    or floats in [0, 1]."""
    return shrink(as_gray_or_bgr(np.asarray(pixels)), WORK_SIDE)


def as_gray_or_bgr(image: np.ndarray) -> np.ndarray:
    if image.dtype.kind == "f" and np.isnan(image).any():
        raise InputError("image has NaN pixels")
    if image.dtype.kind == "f":
        image = np.clip(image, 0, 1).astype(np.float32)
    elif image.dtype.kind != "u":
        raise InputError(f"unsupported pixel type {image.dtype}")
    if image.ndim == 3 and image.shape[2] == 3 and _is_gray(image):  # read once, not three times
        image = np.ascontiguousarray(image[..., 0])
    if image.dtype.kind == "u":  # after the gray test, which compares a quarter of the bytes of floats
        image = image.astype(np.float32) / np.iinfo(image.dtype).max
    if image.ndim == 3 and image.shape[2] in (1, 4):
        image = image[..., 0] if image.shape[2] == 1 else _flatten_alpha(image)
    if image.ndim != 2 and image.shape[2:] != (3,):
        raise InputError(f"unsupported image shape {image.shape}")
    if min(image.shape[:2]) < MIN_SIDE:
        raise InputError(f"image too small to hold a digit ({image.shape[1]}x{image.shape[0]})")
    return image


def shrink(image: np.ndarray, longest: int) -> np.ndarray:
    return resize_longest(image, longest) if max(image.shape[:2]) > longest else image


def resize_longest(image: np.ndarray, longest: int) -> np.ndarray:
    scale = longest / max(image.shape[:2])
    size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)


def _is_gray(bgr: np.ndarray, transparent: np.ndarray | None = None) -> bool:
    """Whether the three colour channels are equal at every pixel (but the `transparent` ones): the second channel
    is compared only when the first is equal (a colour photo's differ at once)."""
    def same_as_first(channel: int) -> bool:
        same = bgr[..., 0] == bgr[..., channel]
        return bool((same if transparent is None else same | transparent).all())
    return same_as_first(1) and same_as_first(2)


def _flatten_alpha(bgra: np.ndarray) -> np.ndarray:
    """Composite onto a backdrop that contrasts with the opaque pixels, so they stay the ink; one gray channel
    where the opaque pixels are gray (the drawing page's canvas: composited once, not three times)."""
    colour, alpha = bgra[..., :3], bgra[..., 3:]
    transparent = alpha[..., 0] == 0  # the backdrop's alone once composited, whatever colour they hold
    if _is_gray(colour, transparent):
        colour = colour[..., :1]
    opaque_level = (colour * alpha).sum() / max(colour.shape[2] * alpha.sum(), 1e-6)
    backdrop = 0.0 if opaque_level > 0.5 else 1.0
    flat = colour * alpha + backdrop * (1 - alpha)
    return flat[..., 0] if flat.shape[2] == 1 else flat


def _decoding(frame: tuple[int, int, int] | None) -> int:
    """cv2.imdecode's flags for a picture with this JPEG frame (None: not a JPEG): the file as it is, or a gray
    or colour JPEG turned upright as its EXIF orientation says (a phone stores a portrait photo sideways and tags
    it so; the pixels are those IMREAD_UNCHANGED gives), a large one at 1/2, 1/4 or 1/8 of its size.

    libjpeg scales while it decodes: reading a 12-megapixel photo fell from 176.5 to 78.3 ms (bench.reading_cost,
    bench/RESULTS.md). The reduced copy keeps at least REDUCED_MIN_SIDE, twice the working side, for the area
    average down to it; photos up to 2,560 px are decoded whole, as before.
    """
    if frame is None or frame[2] not in REDUCED_FLAGS:
        return cv2.IMREAD_UNCHANGED
    factor = next((factor for factor in (8, 4, 2) if max(frame[:2]) >= factor * REDUCED_MIN_SIDE), None)
    if factor is None:
        return cv2.IMREAD_GRAYSCALE if frame[2] == 1 else cv2.IMREAD_COLOR
    return REDUCED_FLAGS[frame[2]][factor]


def _png_or_bmp_size(head: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG or BMP header (a JPEG's: _jpeg_frame)."""
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR" and len(head) >= 24:
        return struct.unpack(">II", head[16:24])
    if head.startswith(b"BM") and len(head) >= 26 and struct.unpack("<I", head[14:18])[0] >= 40:
        width, height = struct.unpack("<ii", head[18:26])  # BITMAPINFOHEADER or later
        return abs(width), abs(height)  # a negative height means rows stored top-down
    return None


def _jpeg_frame(head: bytes) -> tuple[int, int, int] | None:
    """(width, height, colour components) from a JPEG's start-of-frame segment; None if not a JPEG."""
    if not head.startswith(b"\xff\xd8"):
        return None
    pos = 2
    while pos + 10 <= len(head) and head[pos] == 0xFF:
        marker = head[pos + 1]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a start-of-frame segment
            height, width = struct.unpack(">HH", head[pos + 5 : pos + 9])
            return width, height, head[pos + 9]
        pos += 2 + struct.unpack(">H", head[pos + 2 : pos + 4])[0]
    return None


def _check_size(width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise InputError(f"image too large ({width}x{height} > {MAX_PIXELS} pixels)")
    if min(width, height) < MIN_SIDE:
        raise InputError(f"image too small to hold a digit ({width}x{height})")
