"""Reference sets: saved and loaded exactly; anything else refused with one line naming the file."""
import numpy as np
import pytest

from export.discriminant import discriminant
from runtime.errors import InputError
from runtime.symbols.references import ReferenceSet, augmented, classify, fit
from runtime.symbols.sets import SymbolSet


def _references(count=4, dimensions=50):
    vectors = np.random.default_rng(1).random((count, dimensions), dtype=np.float32)
    return ReferenceSet(vectors, np.arange(count) % 2, ["alpha", "beta"])


def test_save_and_load_round_trip(tmp_path):
    references = _references()
    path = references.save(tmp_path / "refs.npz")
    back = ReferenceSet.load(path)
    assert np.array_equal(back.vectors, references.vectors) and back.vectors.dtype == np.float32
    assert back.labels.tolist() == [0, 1, 0, 1] and back.class_names == ["alpha", "beta"]
    assert back.projection is None and back.votes == 1
    assert [p.name for p in tmp_path.iterdir()] == ["refs.npz"]  # no temporary file left behind


def test_select_keeps_the_named_classes_in_the_given_order():
    three = ReferenceSet(np.eye(6, 50, dtype=np.float32), np.array([0, 1, 2, 0, 1, 2]), ["alpha", "beta", "gamma"])
    picked = three.select(["gamma", "alpha"])
    assert picked.class_names == ["gamma", "alpha"] and picked.labels.tolist() == [1, 0, 1, 0]
    np.testing.assert_array_equal(picked.vectors, three.vectors[[0, 2, 3, 5]])
    with pytest.raises(InputError, match="no class omega among the references"):
        three.select(["omega"])


def _write_bad(path, kind):
    if kind == "text":
        path.write_text("hello")
    elif kind == "npy":
        np.save(path.with_suffix(".npy"), np.zeros((2, 50)))
        path.with_suffix(".npy").rename(path)
    elif kind == "missing key":
        np.savez(path.with_suffix(""), vectors=np.zeros((2, 50), np.float32))
    elif kind == "not 50-d":
        np.savez(path.with_suffix(""), vectors=np.zeros((2, 10), np.float32), labels=np.zeros(2, np.int64),
                 class_names=np.array(["a"]))
    elif kind == "bad projection":
        np.savez(path.with_suffix(""), vectors=np.zeros((2, 2), np.float32), labels=np.zeros(2, np.int64),
                 class_names=np.array(["a"]), projection=np.zeros((10, 2), np.float32))
    elif kind == "bad votes":
        np.savez(path.with_suffix(""), vectors=np.zeros((2, 50), np.float32), labels=np.zeros(2, np.int64),
                 class_names=np.array(["a"]), votes=np.int64(0))
    elif kind == "bad label":
        np.savez(path.with_suffix(""), vectors=np.zeros((2, 50), np.float32), labels=np.array([0, 5]),
                 class_names=np.array(["a"]))


@pytest.mark.parametrize("kind, message", [
    ("text", "not a reference set"), ("npy", "not a reference set"), ("missing key", "not a reference set"),
    ("not 50-d", r"float \[N, 50\]"), ("bad projection", r"float \[50, D\]"), ("bad label", "labels outside"),
    ("bad votes", "votes must be one positive integer"), ("absent", "no such reference set file"),
])
def test_bad_files_are_refused(tmp_path, kind, message):
    path = tmp_path / "refs.npz"
    _write_bad(path, kind)
    with pytest.raises(InputError, match=message) as error:
        ReferenceSet.load(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def _drawings(count, names, seed=0):
    """Random strokes as preprocessed 28x28 images, labelled in turn."""
    import cv2

    rng = np.random.default_rng(seed)
    images = np.zeros((count, 28, 28), np.float32)
    for image in images:
        cv2.line(image, tuple(map(int, rng.integers(4, 24, 2))), tuple(map(int, rng.integers(4, 24, 2))), 1.0, 2)
    return SymbolSet(images, np.arange(count) % len(names), list(names), [])


_PROJECTION = np.random.default_rng(2).normal(size=(784, 50))


def _embed(images):
    return images.reshape(len(images), -1) @ _PROJECTION


def test_augmented_keeps_drawings_first_then_variants_then_extras_by_name():
    symbols = _drawings(4, ["alpha", "beta"])
    extra = _drawings(3, ["beta", "omega", "zeta"], seed=1)  # only its beta images fit symbols' classes
    images, groups = augmented(symbols, 2, seed=0, extra=extra)
    assert np.array_equal(images.images[:4], symbols.images)
    assert groups.tolist() == [0, 1, 2, 3, 0, 0, 1, 1, 2, 2, 3, 3, -1]
    assert images.labels.tolist() == [0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1]
    again, _ = augmented(symbols, 2, seed=0, extra=extra)
    assert np.array_equal(images.images, again.images)  # seeded


def test_fit_and_classify_use_the_normalised_embedding():
    symbols = _drawings(4, ["alpha", "beta"])
    reference_set = fit(symbols, _embed, variant_count=1, seed=0)
    assert reference_set.vectors.shape == (8, 50) and reference_set.class_names == ["alpha", "beta"]
    vote = classify(reference_set, 3 * _embed(symbols.images), k=1)  # scaled: same direction, same answer
    assert vote.labels.tolist() == [0, 1, 0, 1] and np.allclose(vote.distances, 0)


def _letters_in_noise(per_class, seed):
    """3 classes whose embeddings differ a little in 3 dimensions and vary a lot, the same in each class,
    in the other 47 (as the MNIST embedding varies with things that do not tell letters apart)."""
    rng = np.random.default_rng(seed)
    labels = np.arange(3 * per_class) % 3
    vectors = 5 + np.eye(3, 50)[labels] * 0.5 + rng.normal(0, 0.05, (len(labels), 50))
    vectors[:, 3:] += rng.normal(0, 1.0, (len(labels), 47))
    return vectors.astype(np.float32), labels


def test_discriminant_projects_on_the_directions_that_separate_the_classes(tmp_path):
    vectors, labels = _letters_in_noise(100, seed=0)
    plain = ReferenceSet(vectors, labels, ["alpha", "beta", "gamma"])
    projected = discriminant(plain)
    assert projected.projection.shape == (50, 2) and projected.vectors.shape == (300, 2)
    queries, truth = _letters_in_noise(30, seed=1)
    plain_right = (classify(plain, queries).labels == truth).mean()
    projected_right = (classify(projected, queries).labels == truth).mean()
    assert projected_right >= 0.95 > plain_right + 0.2
    back = ReferenceSet.load(projected._replace(votes=3).save(tmp_path / "refs.npz"))
    np.testing.assert_array_equal(back.projection, projected.projection)
    picked = back.select(["gamma", "alpha"])
    assert picked.votes == 3 and classify(picked, queries[:2]).indices.shape == (2, 3)  # the set's votes
    assert (classify(picked, queries[truth == 2]).labels == 0).mean() >= 0.95
