"""The sweep's Keras side: the variants against the torch network, training, and the CLI."""
import json
import sys

import numpy as np
import pytest
import torch

from keras_impl.convert import keras_to_torch, set_weights, torch_to_keras
from keras_impl.model import build
from keras_impl.train import evaluate, seeded_model, trained_epochs
from recipe.history import evaluated_epochs
from recipe.normalisation import normalise
from recipe.settings import Recipe
from sweep import trial
from sweep.cli import main
from sweep.config import with_values
from torch_impl.model import Net


def test_the_default_is_the_seed_net():
    model = build()
    assert [layer.name for layer in model.layers] == [
        "image", "conv1", "conv1_pool", "conv1_relu", "conv2", "conv2_drop", "conv2_pool", "conv2_relu", "flatten",
        "fc1", "fc2", "log_softmax"]
    assert model.count_params() == 21840


@pytest.mark.parametrize("values", [
    {}, {"conv_layers": 1}, {"conv_layers": 3, "kernel_size": 3, "filters": 8},
    {"pool_layers": [2], "pool_size": 3, "activation": "leaky_relu"},
    {"hidden": 100, "dense_dropout": 0.3, "activation": "gelu"}, {"activation": "elu", "pool_layers": [1]},
    {"activation": "tanh"}, {"activation": "sigmoid"},
])
def test_torch_weights_give_the_same_outputs(values, mnist_data):
    """keras_impl.convert carries any recipe's Net weights over, and back bit for bit."""
    recipe = with_values(Recipe(), values)
    torch.manual_seed(1)
    net = Net(recipe).eval()
    model = build(recipe)
    assert [layer.name for layer in model.layers if layer.weights] == \
           [name for name, module in net.named_children() if list(module.parameters())]
    state = {key: value.numpy() for key, value in net.state_dict().items()}
    assert all(np.array_equal(value, state[key]) for key, value in keras_to_torch(torch_to_keras(state)).items())
    set_weights(model, torch_to_keras(state))
    images = normalise(mnist_data.test_images[:64] / np.float32(255))
    with torch.no_grad():
        expected = net(torch.from_numpy(images).unsqueeze(1)).numpy()
    np.testing.assert_allclose(np.asarray(model(images[..., np.newaxis], training=False)), expected,
                               rtol=1e-5, atol=1e-5)


def test_training_is_seeded_and_reports_every_batch():
    recipe = with_values(Recipe(), {"conv_layers": 1, "optimizer": "adamw", "lr": 0.001, "dense_dropout": 0.2,
                                    "activation": "elu", "epochs": 2, "batch_size": 32})
    rng = np.random.default_rng(0)
    train_x, train_y = rng.standard_normal((64, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, 64, dtype=np.int32)
    test_x, test_y = rng.standard_normal((32, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, 32, dtype=np.int32)
    runs = []
    for _ in range(2):
        model, batches = seeded_model(recipe), []
        epochs = trained_epochs(model, recipe, train_x, train_y, lambda done, total, _: batches.append((done, total)))
        runs.append(evaluated_epochs(epochs, lambda: evaluate(model, test_x, test_y)))
        assert batches == [(32, 64), (64, 64)] * 2
    first, second = runs
    assert [row["epoch"] for row in first] == [1, 2] and first[1]["seconds"] >= first[0]["seconds"] > 0
    assert [(row["test_loss"], row["test_accuracy"]) for row in first] == \
           [(row["test_loss"], row["test_accuracy"]) for row in second]


def sweep(monkeypatch, capsys, out, data_dir, framework: str) -> str:
    """One training of 1 epoch on 128 images, two seeds; returns stdout."""
    args = ["mnist-sweep", "run", "--vary", "dropout=0.5", "--set", "epochs=1", "--set", "train_limit=128",
            "--set", "test_limit=100", "--repeats", "2", "--framework", framework, "--out", str(out),
            "--data-dir", str(data_dir)]
    monkeypatch.setattr(sys, "argv", args)
    with pytest.raises(SystemExit) as exit_:
        main()
    assert exit_.value.code == 0
    return capsys.readouterr().out


def records(out) -> list[dict]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]


def test_a_keras_sweep_runs_resumes_and_never_mixes_with_torch(monkeypatch, capsys, tmp_path, mnist_dir):
    out = tmp_path / "sweep"
    sweep(monkeypatch, capsys, out, mnist_dir, "keras")
    assert [(row["framework"], row["seed"]) for row in records(out)] == [("keras", 1), ("keras", 2)]
    summary = (out / "summary.md").read_text()
    assert summary.startswith("# Sweep (Keras (JAX))") and "Trained with Keras (JAX)." in summary
    assert "| 0.5 |" in summary and "| 2 |" in summary  # two seeds in the row

    def no_training(*args, **kwargs):
        raise AssertionError("trained again")
    monkeypatch.setattr(trial, "train", no_training)
    sweep(monkeypatch, capsys, out, mnist_dir, "keras")
    assert len(records(out)) == 2
    monkeypatch.undo()

    sweep(monkeypatch, capsys, out, mnist_dir, "torch")  # the same plan: trained again, in PyTorch
    keras_runs, torch_runs = records(out)[:2], records(out)[2:]
    assert [(row["framework"], row["seed"]) for row in torch_runs] == [("torch", 1), ("torch", 2)]
    assert [row["config"] for row in torch_runs] == [row["config"] for row in keras_runs]
    assert {row["key"] for row in torch_runs}.isdisjoint(row["key"] for row in keras_runs)
    assert "Trained with PyTorch." in (out / "summary.md").read_text()
