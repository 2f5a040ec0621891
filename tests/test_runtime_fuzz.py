"""Property-based tests: the image preprocessing and the IDX reader, given anything, either raise the
project's InputError or return a well-formed array; nothing else escapes."""
import struct

import cv2
import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from runtime.data.idx import parse_idx
from runtime.errors import InputError
from runtime.reading import read

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def assert_mnist_array(x: np.ndarray) -> None:
    assert x.shape == (28, 28) and x.dtype == np.float32
    assert np.isfinite(x).all() and x.min() >= 0 and x.max() <= 1


def preprocess_or_input_error(function, argument) -> None:
    try:
        result = function(argument)
    except InputError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert_mnist_array(result)


@st.composite
def damaged_pictures(draw) -> bytes:
    """A small encoded picture (PNG, JPEG, BMP, TIFF or WebP) with some bytes overwritten and perhaps cut short."""
    side = draw(st.integers(1, 48)), draw(st.integers(1, 48))
    channels = draw(st.sampled_from([1, 3, 4]))
    image = draw(hnp.arrays(np.uint8, (*side, channels)))
    ext = draw(st.sampled_from([".png", ".jpg", ".bmp", ".tiff", ".webp"]))
    data = bytearray(cv2.imencode(ext, image)[1].tobytes())
    for _ in range(draw(st.integers(0, 4))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data[: draw(st.integers(0, len(data)))])


@FUZZ
@given(data=st.one_of(st.binary(max_size=2000), damaged_pictures()))
@example(data=b"\x89PNG\r\n\x1a\n")
def test_image_files_of_any_bytes(tmp_path, data):
    path = tmp_path / "picture.png"
    path.write_bytes(data)
    preprocess_or_input_error(lambda source: read(source).image, path)


DTYPES = st.sampled_from([np.uint8, np.uint16, np.int16, np.float32, np.float64, np.bool_])
SHAPES = hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=40)


@FUZZ
@given(image=st.one_of(hnp.arrays(DTYPES, SHAPES),
                       hnp.arrays(st.sampled_from([np.uint8, np.float32]),
                                  st.tuples(st.integers(8, 40), st.integers(8, 40), st.sampled_from([1, 3, 4])))))
@example(image=np.full((20, 20), np.nan, np.float32))
def test_arrays_of_any_shape_and_type(image):
    preprocess_or_input_error(lambda source: read(source).image, image)


def idx_header(code: int, shape: tuple[int, ...]) -> bytes:
    return struct.pack(">BBBB", 0, 0, code, len(shape)) + struct.pack(f">{len(shape)}I", *shape)


@st.composite
def idx_like(draw) -> bytes:
    """A well-formed IDX header (any type, up to 4 small or huge dimensions) and any payload."""
    code = draw(st.sampled_from([0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E]))
    shape = draw(st.lists(st.one_of(st.integers(0, 6), st.integers(0, 2**32 - 1)), min_size=1, max_size=4))
    return idx_header(code, tuple(shape)) + draw(st.binary(max_size=300))


@FUZZ
@given(data=st.one_of(st.binary(max_size=64), idx_like()))
@example(data=idx_header(0x08, (2**16,) * 4))  # the sizes' product overflows 64 bits to 0: an empty payload
@example(data=idx_header(0x08, (0, 256, 2**16, 2**31)))  # empty, but too big for numpy to index
def test_idx_of_any_bytes(data):
    try:
        array = parse_idx(data)
    except InputError as error:
        assert str(error) and "\n" not in str(error)
        return
    ndim = data[3]
    assert array.shape == struct.unpack(f">{ndim}I", data[4 : 4 + 4 * ndim])
    assert array.dtype.isnative and 4 + 4 * ndim + array.nbytes == len(data)
