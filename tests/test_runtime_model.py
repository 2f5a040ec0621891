"""The runtime's model loading: the shipped models keep the contract; anything else is refused in one line."""
import json
import subprocess
import sys

import numpy as np
import pytest

from runtime.errors import InputError
from runtime.models import DIGITS, EMBEDDING, GREEK_REFS, OnnxModel
from runtime.models.contract import METADATA_FIELDS
from runtime.symbols.references import ReferenceSet


def test_shipped_models_load_with_their_kinds_and_shapes():
    digits, embedding = OnnxModel(DIGITS, kind="full"), OnnxModel(EMBEDDING, kind="embedding")
    for batch in (0, 1, 7):
        images = np.random.default_rng(batch).random((batch, 28, 28), dtype=np.float32)
        log_probs = digits.run(images)
        assert log_probs.shape == (batch, 10) and embedding.run(images).shape == (batch, 50)
        np.testing.assert_allclose(np.exp(log_probs).sum(1), 1, rtol=1e-5)
    assert digits.class_names == [str(d) for d in range(10)]


def test_shipped_metadata_is_complete_and_consistent():
    digits, embedding = OnnxModel(DIGITS), OnnxModel(EMBEDDING)
    for model, kind in ((digits, "full"), (embedding, "embedding")):
        assert set(METADATA_FIELDS) <= model.metadata.keys()
        assert model.metadata["kind"] == kind == model.kind
        assert float(model.metadata["parity_max_abs_diff"]) <= 1e-4
    same = ("source_framework", "seed", "normalisation_mean", "normalisation_std", "input", "input_layout",
            "input_range")
    assert {key: digits.metadata[key] for key in same} == {key: embedding.metadata[key] for key in same}
    # Two trainings of one recipe: the digit graph's with outlier exposure (it says "not a digit"), the
    # embedding's without (exposure pulls the letters' embeddings together).
    training, embedding_training = (json.loads(model.metadata["training"]) for model in (digits, embedding))
    assert training.pop("outlier_exposure") > 0 and training == embedding_training
    assert digits.metadata["source_sha256"] != embedding.metadata["source_sha256"]
    assert training["augment"] is True and training["optimizer"] == "adamw" and training["epochs"] > 5
    assert str(training["seed"]) == digits.metadata["seed"]
    assert float(digits.metadata["mnist_test_accuracy"]) >= 0.992


def test_shipped_greek_references_are_24_letters_in_their_discriminant_directions():
    refs = ReferenceSet.load(GREEK_REFS)
    assert refs.projection.shape == (50, 23) and refs.vectors.shape[1] == 23 and len(refs.class_names) == 24
    assert {"alpha", "beta", "gamma", "omega"} <= set(refs.class_names)
    assert np.bincount(refs.labels).min() >= 5


@pytest.mark.parametrize("content, message", [
    (b"not a model at all", "not a usable ONNX model"),
    (DIGITS.read_bytes()[:2000], "not a usable ONNX model"),
    (b"", "not a usable ONNX model"),
])
def test_broken_files_are_refused(tmp_path, content, message):
    path = tmp_path / "bad.onnx"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        OnnxModel(path)


def test_missing_file_and_wrong_kind_are_refused(tmp_path):
    with pytest.raises(InputError, match="no such model file"):
        OnnxModel(tmp_path / "missing.onnx")
    with pytest.raises(InputError, match=r"is the embedding network .*; this command needs the full network"):
        OnnxModel(EMBEDDING, kind="full")


def test_cli_reports_a_bad_model_in_one_line(tmp_path):
    bad = tmp_path / "bad.onnx"
    bad.write_text("hello")
    for args in (["predict", "--model", str(bad), str(bad)], ["info", str(bad)],
                 ["greek", "classify", "--model", str(DIGITS), str(bad)]):
        run = subprocess.run([sys.executable, "-m", "runtime", *args], capture_output=True, text=True, timeout=60)
        assert run.returncode == 1 and run.stdout == ""
        assert len(run.stderr.strip().splitlines()) == 1 and run.stderr.startswith("error: "), run.stderr
