"""Accuracy on the shared handwriting: the issue's targets hold for the default method in the runtime's
shipped embedding on every one of 5 reference seeds; the same method in the seed-recipe model (the session
reference_model) is printed beside it.

Leave-one-out: each drawing classified by references without it and without its distorted copies.
New writer: greek_new/ (alpha, beta, gamma by a third hand; 12 distinct files, 6 more are byte-for-byte
copies and not counted) against the alpha/beta/gamma references.
"""
import numpy as np
import pytest

from report.context import SHARED_DATA
from report.greek_methods import (
    NAMES,
    SEEDS,
    Comparison,
    distinct,
    leave_one_out_counts,
    new_drawing_counts,
    seed_range,
)
from runtime.symbols.sets import read_symbol_folder

pytestmark = pytest.mark.skipif(not (SHARED_DATA / "greek_new").is_dir(), reason="no ../shared/data/greek*")
FIRST_WRITER = ["alpha", "beta", "gamma"]
METHODS = tuple(name for name in NAMES if name != "transfer learning")  # the report measures transfer too
DEFAULT = METHODS.index("augmented refs, normalised 1-NN (default)")
SHIPPED = METHODS.index("default, shipped embedding")


@pytest.fixture(scope="module")
def comparisons(reference_model):
    symbols = read_symbol_folder(SHARED_DATA / "greek")
    return [Comparison(reference_model[0], symbols, seed) for seed in SEEDS]


def _correct(comparisons, names) -> tuple[np.ndarray, int]:
    """int [seeds, methods] drawings named right, and how many there are."""
    class_names = comparisons[0].symbols.class_names
    counts, total = leave_one_out_counts(comparisons, [class_names.index(name) for name in names], METHODS)
    print(f"leave-one-out on {', '.join(names)}: " +
          ", ".join(f"{name} {seed_range(counts[:, m], total)}" for m, name in enumerate(METHODS)))
    return counts, total


def test_leave_one_out_on_the_first_writers_letters(comparisons):
    counts, total = _correct(comparisons, FIRST_WRITER)
    assert counts[:, SHIPPED].min() >= total - 1
    # In the seed-recipe embedding one drawing (alpha_005, an alpha written tall like a d) sits between
    # alpha and beta: the method gets it or not depending on the random variants.
    assert counts[:, DEFAULT].min() >= total - 2


def test_leave_one_out_on_all_six_classes(comparisons):
    counts, total = _correct(comparisons, comparisons[0].symbols.class_names)
    assert counts[:, SHIPPED].min() >= 0.9 * total and counts[:, DEFAULT].min() >= 0.9 * total


def test_a_new_writer_against_the_first_writers_references(comparisons):
    new = distinct(read_symbol_folder(SHARED_DATA / "greek_new"))
    counts, _ = new_drawing_counts(comparisons, new)
    print("new writer: " + ", ".join(f"{name} {seed_range(counts[:, m], len(new.images))}"
                                     for m, name in enumerate(NAMES)))
    assert counts[:, NAMES.index(METHODS[SHIPPED])].min() == len(new.images)
    assert counts[:, NAMES.index(METHODS[DEFAULT])].min() >= len(new.images) - 2  # 10 to 12 of 12 over seeds
