"""Read IDX files (the MNIST container format) into numpy arrays, checking every header field."""
import math
from pathlib import Path

import numpy as np

from runtime.errors import InputError

_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def parse_idx(data: bytes, name: str = "IDX data") -> np.ndarray:
    """Decode IDX bytes: magic 0x0000 | dtype code | number of dimensions, then big-endian sizes."""
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise InputError(f"{name}: not an IDX file (bad magic number)")
    dtype_code, ndim = data[2], data[3]
    if dtype_code not in _DTYPES or not 1 <= ndim <= 4:
        raise InputError(f"{name}: not an IDX file (type code {dtype_code:#x}, {ndim} dimensions)")
    header_len = 4 + 4 * ndim
    if len(data) < header_len:
        raise InputError(f"{name}: truncated IDX header")
    shape = tuple(int(n) for n in np.frombuffer(data, ">u4", count=ndim, offset=4))
    dtype = np.dtype(_DTYPES[dtype_code])
    expected = header_len + math.prod(shape) * dtype.itemsize  # Python ints: 4 sizes of 2**32 do not overflow
    if len(data) != expected:
        raise InputError(f"{name}: header says {expected} bytes for shape {shape}, file has {len(data)}")
    try:
        array = np.frombuffer(data, dtype, offset=header_len).reshape(shape)
    except ValueError:  # an empty array whose other sizes numpy cannot index, e.g. (0, 2**31, 2**31)
        raise InputError(f"{name}: impossible IDX shape {shape}") from None
    return array.astype(dtype.newbyteorder("="))


def read_idx(path: str | Path) -> np.ndarray:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror})") from None
    return parse_idx(data, str(path))
