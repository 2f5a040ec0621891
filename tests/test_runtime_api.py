"""The library API (runtime: read, DigitModel, SymbolClassifier, ...): what the CLI and the server are built on."""
import asyncio
import subprocess
import sys
import threading

import cv2
import numpy as np
import pytest
from runtime_support import digit, encoded, write

from runtime import DigitModel, EmbeddingModel, Prediction, SymbolClassifier
from runtime.errors import InputError
from runtime.models import DIGITS, OnnxModel
from runtime.models.batching import Batcher, BatchedModel
from runtime.reading import read


def drawn(text: str, scale: float, thickness: int) -> np.ndarray:
    """A dark symbol drawn by OpenCV on white paper, 200x200."""
    image = np.full((200, 200), 255, np.uint8)
    cv2.putText(image, text, (50, 160), cv2.FONT_HERSHEY_SIMPLEX, scale, 0, thickness, cv2.LINE_AA)
    return image


def test_read_digit_from_a_path_bytes_or_pixels_is_one_preprocessing(tmp_path):
    path = write(tmp_path / "three.png", encoded(digit()))
    expected = read(path).image
    for source in (path, str(path), path.read_bytes(), digit()):
        np.testing.assert_array_equal(read(source).image, expected)


def test_read_digit_errors_are_the_clis_lines(tmp_path):
    with pytest.raises(InputError, match=r"^upload.png: cannot decode image \(corrupt, truncated or not an image\)$"):
        read(b"not a picture", "upload.png").image
    with pytest.raises(InputError, match=r"^picture: empty file$"):
        read(b"").image
    with pytest.raises(InputError, match=r"^image too small to hold a digit \(4x4\)$"):
        read(np.zeros((4, 4), np.uint8)).image
    with pytest.raises(InputError, match=r"missing.png: no such file$"):
        read(tmp_path / "missing.png").image
    with pytest.raises(InputError, match=r"^blank: no digit found"):
        read(np.full((50, 50), 255, np.uint8), "blank").image


def test_predictions_are_typed_and_read_the_digit():
    model = DigitModel()
    one, three = model.predict([read(drawn("1", 5, 18)).image, read(digit()).image])
    assert isinstance(one, Prediction) and (one.digit, three.digit) == (1, 3)
    assert len(three.probabilities) == 10 and sum(three.probabilities) == pytest.approx(1, abs=1e-5)
    assert three.top(2)[0] == (3, three.probability) and three.top(2)[1][1] <= three.probability
    assert three.is_digit and three.to_json(2) == {
        "digit": 3, "probability": three.probability, "is_digit": True, "score": three.probability,
        "top": [{"digit": d, "probability": p} for d, p in three.top(2)]}
    assert model.predict(read(digit()).image)[0] == three  # one [28, 28] image is a batch of one
    with pytest.raises(InputError, match=r"images must be \[N, 28, 28\]"):
        model.predict(np.zeros((2, 28, 27)))


def test_symbols_fitted_from_arrays_are_classified_by_their_nearest_references():
    zeros = [read(drawn("0", scale, width)).image for scale, width in ((5, 14), (4, 20), (6, 10))]
    ones = [read(drawn("1", scale, width)).image for scale, width in ((5, 14), (4, 20), (6, 10))]
    classifier = SymbolClassifier.fit_arrays(zeros + ones, ["zero"] * 3 + ["one"] * 3, variants=2)
    assert classifier.class_names == ["one", "zero"] and len(classifier.references.vectors) == 6 * 3
    matches = classifier.classify([read(drawn("0", 5.5, 16)).image, read(drawn("1", 4.5, 12)).image], k=3)
    assert [match.label for match in matches] == ["zero", "one"]
    distances = [n.distance for n in matches[0].neighbours]
    assert len(distances) == 3 and distances == sorted(distances) and 0 <= distances[0] < 4
    assert matches[0].to_json()["neighbours"][0] == {"label": matches[0].neighbours[0].label, "distance": distances[0]}
    assert [m.label for m in classifier.only(["one"]).classify(zeros[:1])] == ["one"]
    with pytest.raises(InputError, match=r"^no class two among the references \(one, zero\)$"):
        classifier.only(["two"])
    with pytest.raises(InputError, match="need one label per image"):
        SymbolClassifier.fit_arrays(zeros, ["zero"])


def test_shipped_references_and_embedding():
    classifier = SymbolClassifier()
    assert len(classifier.class_names) == 24 and "alpha" in classifier.class_names
    vectors = EmbeddingModel().embed(np.stack([read(digit()).image] * 2))
    assert vectors.shape == (2, 50) and vectors.dtype == np.float32 and np.array_equal(vectors[0], vectors[1])


def test_batcher_runs_calls_that_arrive_together_as_one():
    calls = []

    def run(batch: np.ndarray) -> np.ndarray:
        calls.append(len(batch))
        return batch * 2

    batcher = Batcher(run, max_batch=64, max_wait_s=0.2)
    start, answers = threading.Barrier(16), {}

    def call(i: int) -> None:
        start.wait()
        answers[i] = batcher(np.full((i % 3 + 1, 2), i, np.float32))

    threads = [threading.Thread(target=call, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    batcher.close()
    assert all(np.array_equal(answers[i], np.full((i % 3 + 1, 2), 2 * i)) for i in range(16))
    assert sum(calls) == sum(i % 3 + 1 for i in range(16)) and len(calls) < 16


def test_batcher_batches_awaited_calls_too():
    calls = []

    def run(batch: np.ndarray) -> np.ndarray:
        calls.append(len(batch))
        return -batch

    async def together(batcher: Batcher) -> list[np.ndarray]:
        return await asyncio.gather(*(batcher.run_async(np.full((1, 2), i)) for i in range(10)))

    batcher = Batcher(run, max_batch=64, max_wait_s=0.2)
    answers = asyncio.run(together(batcher))
    batcher.close()
    assert [answer.tolist() for answer in answers] == [[[-i, -i]] for i in range(10)] and calls == [10]


def test_batcher_of_one_runs_each_call_alone_and_survives_errors():
    calls = []

    def run(batch: np.ndarray) -> np.ndarray:
        calls.append(len(batch))
        if batch[0, 0] < 0:
            raise ValueError("negative")
        return batch

    batcher = Batcher(run, max_batch=1, max_wait_s=0.05)
    threads = [threading.Thread(target=batcher, args=(np.ones((1, 1)),)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with pytest.raises(ValueError, match="negative"):
        batcher(-np.ones((1, 1)))
    assert batcher(np.ones((2, 1))).shape == (2, 1)
    batcher.close()
    assert calls == [1] * 9 + [2]


def test_batched_calls_of_both_input_shapes_share_a_batch():
    """/predict's [N, 28, 28] readings and the KServe route's [N, 1, 28, 28] tensors wait in one queue."""
    images = np.random.default_rng(1).random((6, 28, 28), dtype=np.float32)
    model = BatchedModel(OnnxModel(DIGITS, "full"), max_batch=64, max_wait_ms=200)

    async def together() -> list[np.ndarray]:
        return await asyncio.gather(model.run_async(images[:3]), model.run_async(images[3:, None]))

    try:
        answers = asyncio.run(together())
    finally:
        model.close()
    np.testing.assert_allclose(np.concatenate(answers), model.net.run(images), atol=1e-6)


def test_importing_runtime_loads_neither_opencv_nor_onnxruntime():
    probe = "import sys, runtime.atomic; print(sorted({'cv2', 'onnxruntime'} & set(sys.modules)))"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout.strip() == "[]"
