import struct

import numpy as np
import pytest

from runtime.data.idx import parse_idx, read_idx
from runtime.errors import InputError


def idx_bytes(array: np.ndarray, code: int = 0x08) -> bytes:
    header = struct.pack(">BBBB", 0, 0, code, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def test_reads_images_and_labels():
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    np.testing.assert_array_equal(parse_idx(idx_bytes(images)), images)
    labels = np.array([7, 1, 9], dtype=np.uint8)
    np.testing.assert_array_equal(parse_idx(idx_bytes(labels)), labels)


def test_reads_big_endian_floats():
    values = np.array([[1.5, -2.0]], dtype=np.float32)
    result = parse_idx(idx_bytes(values, code=0x0D))
    assert result.dtype == np.float32 and result.dtype.isnative
    np.testing.assert_array_equal(result, values)


@pytest.mark.parametrize("data, message", [
    (b"", "bad magic"),
    (b"PK\x03\x04rest", "bad magic"),
    (b"\x00\x00\x07\x01\x00\x00\x00\x01\x00", "type code"),
    (b"\x00\x00\x08\x03\x00\x00", "truncated IDX header"),
])
def test_rejects_foreign_bytes(data, message):
    with pytest.raises(InputError, match=message):
        parse_idx(data)


def test_rejects_truncated_and_overlong_files():
    data = idx_bytes(np.zeros((4, 28, 28), dtype=np.uint8))
    with pytest.raises(InputError, match="header says"):
        parse_idx(data[:-1])
    with pytest.raises(InputError, match="header says"):
        parse_idx(data + b"\x00")


def test_read_idx_names_the_file(tmp_path):
    with pytest.raises(InputError, match="missing.idx"):
        read_idx(tmp_path / "missing.idx")
    path = tmp_path / "text.idx"
    path.write_text("hello")
    with pytest.raises(InputError, match="text.idx: not an IDX file"):
        read_idx(path)


def test_reads_real_mnist_headers(mnist_dir):
    labels = read_idx(mnist_dir / "t10k-labels-idx1-ubyte")
    assert labels.shape == (10000,) and labels[:3].tolist() == [7, 2, 1]
