"""Distances and nearest-neighbour votes on small hand-made vectors with known answers."""
import numpy as np
import pytest

from report.evaluation import confusion_matrix, leave_one_out
from runtime.symbols.knn import knn_classify, l2_normalise, sum_squared_distances, vote


def test_sum_squared_distances_by_hand():
    a = np.array([[0.0, 0.0], [1.0, 2.0]])
    b = np.array([[0.0, 0.0], [3.0, 4.0], [1.0, 2.0]])
    expected = [[0, 25, 5], [5, 8, 0]]
    np.testing.assert_array_equal(sum_squared_distances(a, b), expected)


def test_identical_vectors_are_exactly_zero_apart():
    vectors = np.random.default_rng(0).normal(size=(20, 50)).astype(np.float32) * 100
    assert np.all(np.diag(sum_squared_distances(vectors, vectors)) == 0)


def test_mismatched_dimensions_are_refused():
    with pytest.raises(ValueError):
        sum_squared_distances(np.zeros((2, 3)), np.zeros((2, 4)))


def test_one_nearest_neighbour():
    refs = np.array([[0.0], [10.0], [20.0]])
    result = knn_classify(np.array([[1.0], [14.0], [16.0]]), refs, np.array([0, 1, 2]), k=1)
    assert result.labels.tolist() == [0, 1, 2]
    assert result.indices.tolist() == [[0], [1], [2]]
    np.testing.assert_array_equal(result.distances, [[1], [16], [16]])


def test_majority_of_three_outvotes_the_nearest():
    refs = np.array([[0.0], [2.0], [3.0]])
    result = knn_classify(np.array([[0.5]]), refs, np.array([0, 1, 1]), k=3)
    assert result.labels.tolist() == [1]
    np.testing.assert_array_equal(result.distances, [[0.25, 2.25, 6.25]])


def test_tie_in_votes_goes_to_the_smaller_summed_distance():
    # k=4 around the query at 0: class 0 at distances 1 and 4 (sum 5), class 1 at 2 and 2 (sum 4).
    refs = np.array([[1.0], [-np.sqrt(2)], [np.sqrt(2)], [2.0]])
    result = knn_classify(np.array([[0.0]]), refs, np.array([0, 1, 1, 0]), k=4)
    assert result.labels.tolist() == [1]  # although the single nearest reference is class 0
    assert knn_classify(np.array([[0.0]]), refs, np.array([0, 1, 1, 0]), k=1).labels.tolist() == [0]


def test_two_way_tie_of_single_votes_goes_to_the_nearer():
    distances = np.array([[3.0, 1.0], [1.0, 3.0]])
    assert vote(distances, np.array([0, 1]), k=2).labels.tolist() == [1, 0]


def test_k_out_of_range_is_refused():
    with pytest.raises(ValueError):
        vote(np.zeros((1, 2)), np.array([0, 1]), k=3)


def test_leave_one_out_never_matches_itself():
    vectors = np.array([[0.0], [1.0], [10.0], [11.0], [5.6]])
    labels = np.array([0, 0, 1, 1, 1])
    result = leave_one_out(vectors, labels, k=1)
    assert result.indices[:, 0].tolist() == [1, 0, 3, 2, 2]
    assert result.labels.tolist() == [0, 0, 1, 1, 1]


def test_leave_one_out_skips_the_whole_group():
    # Vectors 0 and 1 are copies of one drawing: 0 must not find 1, so its nearest is 2.
    vectors = np.array([[0.0], [0.1], [3.0], [9.0]])
    result = leave_one_out(vectors, np.array([0, 0, 1, 1]), k=1, groups=np.array([7, 7, 8, 9]))
    assert result.indices[:2, 0].tolist() == [2, 2]
    assert result.labels.tolist()[:2] == [1, 1]


def test_l2_normalise_keeps_zero_rows():
    unit = l2_normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(unit, [[0.6, 0.8], [0, 0]])


def test_confusion_matrix_rows_are_true_classes():
    matrix = confusion_matrix(np.array([0, 0, 1, 2, 2]), np.array([0, 1, 1, 2, 0]), 3)
    np.testing.assert_array_equal(matrix, [[1, 1, 0], [0, 1, 0], [1, 0, 1]])
