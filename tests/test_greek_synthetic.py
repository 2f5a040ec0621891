"""The built-in Greek set: deterministic per seed, any letter, readable as a class-folder tree."""
import numpy as np
import pytest

from runtime.errors import InputError
from runtime.symbols.sets import read_symbol_folder
from synthetic import greek
from synthetic.greek import (
    LETTERS,
    SIDE,
    generate,
    letter_names,
    symbol_set,
    write_folder,
)


def test_same_seed_same_images_other_seed_other_images():
    first, again, other = (generate(("alpha", "omega"), 2, seed) for seed in (3, 3, 4))
    assert all(np.array_equal(a[2], b[2]) for a, b in zip(first, again))
    assert not any(np.array_equal(a[2], b[2]) for a, b in zip(first, other))


def test_an_image_depends_only_on_seed_letter_and_index():
    alone = generate(("beta",), 3, seed=5)
    among_others = [item for item in generate(("alpha", "beta", "gamma"), 3, seed=5) if item[0] == "beta"]
    assert all(np.array_equal(a[2], b[2]) for a, b in zip(alone, among_others))


def test_every_letter_renders_as_dark_ink_on_light_paper():
    for letter, _, scan in generate(LETTERS, 1, seed=0):
        assert scan.shape == (SIDE, SIDE) and scan.dtype == np.float32
        assert np.median(scan) > 0.6 and scan.min() < 0.45, letter


def test_folder_tree_reads_back_as_the_same_symbol_set(tmp_path):
    folder = write_folder(tmp_path / "greek", ("gamma", "alpha"), count=2, seed=1)
    from_folder = read_symbol_folder(folder)
    direct = symbol_set(("gamma", "alpha"), count=2, seed=1)
    assert from_folder.class_names == direct.class_names == ["alpha", "gamma"]
    assert from_folder.labels.tolist() == direct.labels.tolist() == [0, 0, 1, 1]
    assert np.array_equal(from_folder.images, direct.images)


def test_letter_names():
    assert letter_names(" Alpha,omega ") == ["alpha", "omega"]
    with pytest.raises(InputError, match="aleph"):
        letter_names("alpha,aleph")


def test_without_font_packages_matplotlib_faces_draw_every_letter(monkeypatch):
    monkeypatch.setattr(greek, "findSystemFonts", list)
    greek.faces.cache_clear()
    try:
        assert all(face.name.startswith(("DejaVu", "mathtext")) for face in greek.faces())
        for letter, _, scan in generate(LETTERS, 2, seed=0):
            assert np.median(scan) > 0.6 and scan.min() < 0.45, letter
    finally:
        greek.faces.cache_clear()
