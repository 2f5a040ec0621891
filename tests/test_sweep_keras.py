"""The sweep's Keras side: the builder against the twin and the torch network, training, and the CLI."""
import json
import sys

import numpy as np
import pytest
import torch
from rich.progress import Progress

from keras_impl import model as twin
from keras_impl.convert import keras_to_torch, set_weights, torch_to_keras
from runtime.preprocess import normalise
from sweep import keras_train
from sweep.cli import main
from sweep.config import NetConfig, with_values
from sweep.keras_network import build
from sweep.keras_train import train_variant
from sweep.network import ConfigurableNet


def signature(model) -> list[tuple]:
    return [(layer.name, type(layer).__name__, tuple(layer.output.shape), [tuple(w.shape) for w in layer.weights])
            for layer in model.layers]


def test_default_is_the_keras_twin_layer_for_layer():
    built, reference = build(NetConfig()), twin.build()
    assert signature(built) == signature(reference)
    assert built.count_params() == reference.count_params() == 21840
    assert built.get_layer("fc1").activation is reference.get_layer("fc1").activation


@pytest.mark.parametrize("values", [
    {}, {"conv_layers": 1}, {"conv_layers": 3, "kernel_size": 3, "filters": 8},
    {"pool_layers": [2], "pool_size": 3, "activation": "leaky_relu"},
    {"hidden": 100, "dense_dropout": 0.3, "activation": "gelu"}, {"activation": "elu", "pool_layers": [1]},
    {"activation": "tanh"}, {"activation": "sigmoid"},
])
def test_torch_weights_give_the_same_outputs(values, mnist_data):
    """keras_impl.convert carries any ConfigurableNet's weights over, and back bit for bit."""
    config = with_values(NetConfig(), values)
    torch.manual_seed(1)
    net = ConfigurableNet(config).eval()
    model = build(config)
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


def test_training_is_seeded_and_advances_the_progress_task():
    config = with_values(NetConfig(), {"conv_layers": 1, "optimizer": "adamw", "lr": 0.001, "dense_dropout": 0.2,
                                       "activation": "elu", "epochs": 2, "batch_size": 32})
    rng = np.random.default_rng(0)
    data = (rng.standard_normal((64, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, 64, dtype=np.int32),
            rng.standard_normal((32, 28, 28, 1), dtype=np.float32), rng.integers(0, 10, 32, dtype=np.int32))
    runs = []
    for _ in range(2):
        with Progress(disable=True) as progress:
            task = progress.add_task("", total=128)
            runs.append(train_variant(config, 1, progress, task, data))
            assert progress.tasks[0].completed == 128 and progress.tasks[0].description.startswith("loss ")
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
    monkeypatch.setattr(keras_train, "train_variant", no_training)
    sweep(monkeypatch, capsys, out, mnist_dir, "keras")
    assert len(records(out)) == 2

    sweep(monkeypatch, capsys, out, mnist_dir, "torch")  # the same plan: trained again, in PyTorch
    keras_runs, torch_runs = records(out)[:2], records(out)[2:]
    assert [(row["framework"], row["seed"]) for row in torch_runs] == [("torch", 1), ("torch", 2)]
    assert [row["config"] for row in torch_runs] == [row["config"] for row in keras_runs]
    assert {row["key"] for row in torch_runs}.isdisjoint(row["key"] for row in keras_runs)
    assert "Trained with PyTorch." in (out / "summary.md").read_text()
