"""Symbol folders and their CSV form: reading, exact round trip, and one-line errors for bad folders."""
import numpy as np
import pytest

from report.context import SHARED_DATA
from report.symbol_csv import read_csv, write_csv
from runtime.errors import InputError
from runtime.symbols.sets import SymbolSet, read_symbol_folder


def _drawing(path, ink=True):
    import cv2

    image = np.full((40, 40), 230, np.uint8)
    if ink:
        cv2.line(image, (8, 8), (30, 32), 20, 3)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), image)


def test_csv_round_trip_is_exact(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.random((5, 28, 28), dtype=np.float32)
    images[0, 0, :3] = [0, 1, np.float32(1 / 3)]
    symbols = SymbolSet(images, np.array([0, 1, 2, 1, 0]), ["alpha", "beta", "gamma"], [])
    written = write_csv(symbols, tmp_path)
    assert [path.name for path in written] == ["intensities.csv", "labels.csv", "classes.csv"]
    back = read_csv(tmp_path)
    assert back.images.dtype == np.float32 and back.labels.dtype == np.int64
    assert np.array_equal(back.images.view(np.uint32), images.view(np.uint32))
    assert back.labels.tolist() == [0, 1, 2, 1, 0] and back.class_names == ["alpha", "beta", "gamma"]


def test_csv_files_have_the_seed_layout(tmp_path):
    symbols = SymbolSet(np.zeros((2, 28, 28), np.float32), np.array([1, 0]), ["a", "b"], [])
    write_csv(symbols, tmp_path)
    intensity_lines = (tmp_path / "intensities.csv").read_text().splitlines()
    assert len(intensity_lines) == 3 and all(len(line.split(",")) == 784 for line in intensity_lines)
    assert (tmp_path / "labels.csv").read_text().splitlines() == ["label", "1", "0"]


def test_read_csv_refuses_mismatched_files(tmp_path):
    write_csv(SymbolSet(np.zeros((2, 28, 28), np.float32), np.array([1, 0]), ["a", "b"], []), tmp_path)
    (tmp_path / "labels.csv").write_text("label\n1\n")
    with pytest.raises(InputError, match="same 28x28 images"):
        read_csv(tmp_path)
    with pytest.raises(InputError, match="cannot read"):
        read_csv(tmp_path / "nowhere")


def test_folder_classes_are_sorted_sub_folders(tmp_path):
    for name in ("gamma/g1.png", "alpha/a1.png", "alpha/a2.jpg", "beta/b1.PNG"):
        _drawing(tmp_path / name)
    (tmp_path / "alpha" / "notes.txt").write_text("not an image")
    symbols = read_symbol_folder(tmp_path)
    assert symbols.class_names == ["alpha", "beta", "gamma"]
    assert symbols.labels.tolist() == [0, 0, 1, 2]
    assert symbols.images.shape == (4, 28, 28) and symbols.images.dtype == np.float32
    assert [path.name for path in symbols.paths] == ["a1.png", "a2.jpg", "b1.PNG", "g1.png"]


@pytest.mark.parametrize("layout, message", [
    ((), "no such folder"),
    (("loose.png",), "no class sub-folders"),
    (("alpha/a.png", "beta/readme.txt"), "class 'beta' has no images"),
])
def test_bad_folders_give_one_line_errors(tmp_path, layout, message):
    folder = tmp_path / "symbols"
    for name in layout:
        if name.endswith(".png"):
            _drawing(folder / name)
        else:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text("x")
    with pytest.raises(InputError, match=message) as error:
        read_symbol_folder(folder)
    assert str(folder) in str(error.value) and "\n" not in str(error.value)


def test_a_blank_image_names_its_file(tmp_path):
    _drawing(tmp_path / "alpha" / "empty.png", ink=False)
    with pytest.raises(InputError, match="empty.png"):
        read_symbol_folder(tmp_path)


@pytest.mark.skipif(not (SHARED_DATA / "greek").is_dir(), reason="no ../shared/data/greek")
def test_the_shared_greek_set():
    symbols = read_symbol_folder(SHARED_DATA / "greek")
    assert symbols.class_names[:3] == ["alpha", "beta", "delta"] and len(symbols.class_names) == 6
    assert symbols.images.shape == (54, 28, 28) and np.bincount(symbols.labels).tolist() == [9] * 6
    assert 0 <= symbols.images.min() and symbols.images.max() <= 1
