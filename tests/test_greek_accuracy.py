"""Accuracy on the shared handwriting: the issue's targets hold for the default method in the runtime's
shipped embedding; the same method in the seed-recipe model (the session reference_model) is printed beside it.

Leave-one-out: each drawing classified by references without it and without its distorted copies.
New writer: greek_new/ (alpha, beta, gamma by a third hand) against the alpha/beta/gamma references.
"""
import numpy as np
import pytest

from report.context import SHARED_DATA
from report.greek_methods import NAMES, Comparison
from runtime.symbols import read_symbol_folder

pytestmark = pytest.mark.skipif(not (SHARED_DATA / "greek_new").is_dir(), reason="no ../shared/data/greek*")
FIRST_WRITER = ["alpha", "beta", "gamma"]
DEFAULT = NAMES.index("augmented refs, normalised 1-NN (default)")
SHIPPED = NAMES.index("default, shipped embedding")


@pytest.fixture(scope="module")
def comparison(reference_model):
    return Comparison(reference_model[0], read_symbol_folder(SHARED_DATA / "greek"))


def _correct(comparison, names):
    classes = [comparison.symbols.class_names.index(name) for name in names]
    truth = comparison.symbols.labels[np.isin(comparison.symbols.labels, classes)]
    counts = [int((predicted == truth).sum()) for predicted in comparison.leave_one_out(classes)]
    print(f"leave-one-out on {', '.join(names)}: " + ", ".join(f"{n} {c}/{len(truth)}" for n, c in zip(NAMES, counts)))
    return counts, len(truth)


def test_leave_one_out_on_the_first_writers_letters(comparison):
    counts, total = _correct(comparison, FIRST_WRITER)
    assert counts[SHIPPED] == total
    # In the seed-recipe embedding one drawing (alpha_005, an alpha written tall like a d) sits between
    # alpha and beta: the method gets it or not depending on the random variants (26 or 27 of 27).
    assert counts[DEFAULT] >= total - 1


def test_leave_one_out_on_all_six_classes(comparison):
    counts, total = _correct(comparison, comparison.symbols.class_names)
    assert counts[SHIPPED] >= 0.9 * total and counts[DEFAULT] >= 0.9 * total


def test_a_new_writer_against_the_first_writers_references(comparison):
    new = read_symbol_folder(SHARED_DATA / "greek_new")
    classes = [comparison.symbols.class_names.index(name) for name in new.class_names]
    predictions, _ = comparison.classify(classes, new.images)
    counts = [int((predicted == np.array(classes)[new.labels]).sum()) for predicted in predictions]
    print("new writer: " + ", ".join(f"{name} {count}/{len(new.images)}" for name, count in zip(NAMES, counts)))
    assert counts[SHIPPED] >= 16 and counts[DEFAULT] >= 16
