"""Bad input to the `runtime` command, as a user meets it: one `error:` line naming the file, exit 1, no traceback.

Each case makes its input in a fresh folder and runs the installed command in a subprocess (offline,
so nothing is fetched). Cases whose `error` is None must work: the drawn 3 is read as a 3.
Framework-side cases (PyTorch, Keras, ONNX building) are in test_bad_inputs.py.
"""
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from runtime_support import MNIST_DIR, assert_one_error, digit, encoded, run_command, write

from runtime.data import mnist

TEST_IMAGES = "t10k-images-idx3-ubyte"


def make_dir(path: Path) -> Path:
    path.mkdir(parents=True)
    return path


def huge_png(folder: Path) -> Path:
    """A PNG whose valid header announces 10000 x 10000 pixels (the data are a small picture's)."""
    data = bytearray(encoded(digit()))
    data[16:24] = struct.pack(">II", 10000, 10000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return write(folder / "huge.png", bytes(data))


def huge_bmp(folder: Path) -> Path:
    """A BMP whose header announces 40000 x 40000 pixels, past OpenCV's own limit too."""
    data = bytearray(encoded(digit(), ".bmp"))
    data[18:26] = struct.pack("<ii", 40000, 40000)
    return write(folder / "huge.bmp", bytes(data))


def huge_tiff(folder: Path) -> Path:
    """A TIFF whose width and height tags say 65535 (a format whose size only OpenCV reads)."""
    data = bytearray(encoded(digit(), ".tiff"))
    for tag in (256, 257):  # ImageWidth, ImageLength: one SHORT each
        at = data.find(struct.pack("<HHI", tag, 3, 1))
        data[at + 8 : at + 10] = struct.pack("<H", 65535)
    return write(folder / "huge.tiff", bytes(data))


def transparent_png(folder: Path) -> Path:
    """Black ink where alpha is opaque, on fully transparent (black) pixels."""
    rgba = np.zeros((300, 300, 4), np.uint8)
    rgba[..., 3] = 255 - digit()
    return write(folder / "drawing.png", encoded(rgba))


def cmyk_jpeg(folder: Path) -> Path:
    image = pytest.importorskip("PIL.Image", reason="Pillow writes the CMYK JPEG")  # OpenCV cannot
    path = folder / "print.jpg"
    image.fromarray(digit()).convert("CMYK").save(path)
    return path


def mnist_dir_with(test_images: Callable[[bytes], bytes]) -> Callable[[Path], Path]:
    """A data folder holding the real MNIST files, the test images changed by `test_images`."""
    def make(folder: Path) -> Path:
        source, target = mnist.fetch(MNIST_DIR.resolve(), log=lambda message: None), folder / "mnist"
        target.mkdir()
        for name in set(mnist.SHA256) - {TEST_IMAGES}:
            (target / name).symlink_to(source / name)
        return write(target / TEST_IMAGES, test_images((source / TEST_IMAGES).read_bytes()))
    return make


def lying_header(data: bytes) -> bytes:
    """The header claims 20000 images; the file holds 10000."""
    return data[:4] + struct.pack(">I", 20000) + data[8:]


def reference_set_20d(folder: Path) -> Path:
    path = folder / "refs.npz"
    np.savez(path, vectors=np.zeros((3, 20), np.float32), labels=np.array([0, 1, 1]), class_names=np.array(["a", "b"]))
    return path


def letters(folder: Path, classes: dict[str, int]) -> Path:
    """A symbol folder: `classes` maps a sub-folder name to how many pictures it holds ("" = the folder itself)."""
    for name, count in classes.items():
        (folder / "letters" / name).mkdir(parents=True, exist_ok=True)
        for index in range(count):
            write(folder / "letters" / name / f"{index}.png", encoded(digit()))
    return folder / "letters"


class Case(NamedTuple):
    name: str
    make: Callable[[Path], Path]  # writes the bad input into a folder and returns its path
    args: tuple[str, ...]  # formatted with bad=that path, good=a readable picture of a 3
    error: str | None  # what the error line says; None: the command must work


PREDICT = ("predict", "{bad}")
EVALUATE = ("evaluate", "--data-dir", "{bad.parent}")
CASES = [
    Case("missing file", lambda d: d / "missing.png", PREDICT, "no such file"),
    Case("directory as model", lambda d: make_dir(d / "model.onnx"), ("predict", "--model", "{bad}", "{good}"),
         "is a directory"),
    Case("directory as output", lambda d: make_dir(d / "vectors.npy"), ("embed", "{good}", "-o", "{bad}"),
         "is a directory"),
    Case("file as output folder", lambda d: write(d / "notes.txt", b"notes"), ("embed", "{good}", "-o", "{bad}/e.npy"),
         "cannot write there (File exists)"),
    Case("folder without images", lambda d: make_dir(d / "photos"), PREDICT, "folder holds no images"),
    Case("empty file", lambda d: write(d / "empty.png", b""), PREDICT, "empty file"),
    Case("text named .png", lambda d: write(d / "notes.png", b"milk, eggs\n" * 20), PREDICT, "cannot decode image"),
    Case("truncated PNG", lambda d: write(d / "cut.png", encoded(digit())[:1500]), PREDICT, "cannot decode image"),
    Case("truncated JPEG", lambda d: write(d / "cut.jpg", encoded(digit(), ".jpg")[:1500]), PREDICT,
         "cannot decode image"),
    Case("16-bit PNG", lambda d: write(d / "deep.png", encoded(digit().astype(np.uint16) * 257)), PREDICT, None),
    Case("RGBA, transparent background", transparent_png, PREDICT, None),
    Case("CMYK JPEG", cmyk_jpeg, PREDICT, None),
    Case("1x1 image", lambda d: write(d / "dot.png", encoded(np.zeros((1, 1), np.uint8))), PREDICT, "too small"),
    Case("all white", lambda d: write(d / "white.png", encoded(np.full((200, 200), 255, np.uint8))), PREDICT,
         "no digit found"),
    Case("all black", lambda d: write(d / "black.jpg", encoded(np.zeros((200, 200), np.uint8), ".jpg")), PREDICT,
         "no digit found"),
    Case("huge PNG", huge_png, PREDICT, "image too large (10000x10000"),
    Case("huge BMP", huge_bmp, PREDICT, "image too large (40000x40000"),
    Case("huge TIFF", huge_tiff, PREDICT, "cannot decode image (OpenCV: pixels <= CV_IO_MAX_IMAGE_PIXELS)"),
    Case("spaces and non-ASCII in the path", lambda d: write(d / "dígitos à mão" / "mein Bild 3.png", encoded(digit())),
         PREDICT, None),
    Case("model not ONNX", lambda d: write(d / "model.onnx", b"not a model"), ("predict", "--model", "{bad}", "{good}"),
         "not a usable ONNX model"),
    Case("truncated IDX", mnist_dir_with(lambda data: data[: len(data) // 2]), EVALUATE, "could not fetch MNIST"),
    Case("foreign IDX", mnist_dir_with(lambda data: encoded(digit())), EVALUATE, "could not fetch MNIST"),
    Case("IDX header lying about size", mnist_dir_with(lying_header), EVALUATE, "could not fetch MNIST"),
    Case("directory as reference set", lambda d: make_dir(d / "refs.npz"),
         ("greek", "classify", "{good}", "--refs", "{bad}"), "is a directory, not a reference set file"),
    Case("reference vectors not 50-d", reference_set_20d, ("greek", "classify", "{good}", "--refs", "{bad}"),
         "reference vectors must be float [N, 50]"),
    Case("symbol folder without class folders", lambda d: letters(d, {"": 2}),
         ("greek", "fit", "{bad}", "-o", "{bad.parent}/refs.npz"), "no class sub-folders"),
    Case("empty class", lambda d: letters(d, {"alpha": 2, "beta": 0}), ("greek", "distances", "{bad}"),
         "class 'beta' has no images"),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input(case, tmp_path):
    bad = case.make(tmp_path)
    good = write(tmp_path / "good.png", encoded(digit()))
    run = run_command("runtime", *(arg.format(bad=bad, good=good) for arg in case.args), cwd=tmp_path)
    if case.error is None:
        assert (run.returncode, run.stderr) == (0, ""), run.stderr
        assert run.stdout.startswith(f"{bad}: 3 (p="), run.stdout
    else:
        assert_one_error(run, bad.name, case.error)


def test_batch_reports_bad_files_and_reads_the_good_ones(tmp_path):
    good = [write(tmp_path / f"{name}.png", encoded(digit(value))) for name, value in (("a", 255), ("b", 220))]
    bad = [tmp_path / "missing.png", write(tmp_path / "cut.png", encoded(digit())[:1500])]
    run = run_command("runtime", "predict", good[0], *bad, good[1], cwd=tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert [line.split(" (p=")[0] for line in run.stdout.splitlines()] == [f"{good[0]}: 3", f"{good[1]}: 3"]
    errors = run.stderr.splitlines()
    assert len(errors) == 2 and all(line.startswith("error: ") for line in errors)
    assert "missing.png: no such file" in errors[0] and "cut.png: cannot decode image" in errors[1]
