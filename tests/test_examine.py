import re
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from typer.testing import CliRunner

from frameworks.convert import load_torch_net
from report import cli, examine, examine_figures
from report.context import Context
from runtime.errors import InputError
from torch_impl import checkpoint
from torch_impl.data import to_tensor
from torch_impl.embedding import Truncated
from torch_impl.model import Net

FIGURES = {"conv1_filters.png", "conv1_filter_effects.png", "truncated_channels.png", "conv1_vs_conv2.png"}


@pytest.fixture
def net() -> Net:
    torch.manual_seed(0)
    return Net().eval()


def test_first_layer_is_ten_5x5_filters(net):
    assert net.conv1.weight.shape == (10, 1, 5, 5)


@torch.no_grad()
def test_filter2d_computes_what_conv1_computes(net, mnist_data):
    image = to_tensor(mnist_data.train_images[:1])
    conv1 = (net.conv1(image)[0] - net.conv1.bias[:, None, None]).numpy()
    filtered = examine_figures.apply_filters(image[0, 0].numpy(), net.conv1.weight[:, 0].numpy())
    assert filtered.shape == (10, 28, 28)
    # filter2D pads to keep 28x28; the 24x24 interior is where the whole 5x5 window lies on the image.
    np.testing.assert_allclose(filtered[:, 2:-2, 2:-2], conv1, atol=1e-5)


@torch.no_grad()
def test_truncated_model_gives_20_maps_of_4x4(net, mnist_data):
    activations = Truncated(net, "convolutions").eval()(to_tensor(mnist_data.test_images[:1000]))
    assert activations.shape == (1000, 20, 4, 4)


@torch.no_grad()
def test_truncated_model_shares_the_trained_weights(net):
    truncated = Truncated(net, "convolutions").eval()
    assert all(mine is theirs for mine, theirs in zip(truncated.parameters(), net.parameters(), strict=True))
    assert truncated.net.conv2.weight.data_ptr() == net.conv2.weight.data_ptr()
    x = torch.randn(2, 1, 28, 28)
    before = truncated(x)
    net.conv2.bias += 1.0
    after = truncated(x)
    assert not torch.allclose(before, after)
    torch.testing.assert_close(after, net.convolutions(x))


def test_examine_command_prints_and_writes_the_figures(net, tmp_path, mnist_dir):
    checkpoint.save(net, tmp_path / "model.pth")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli.app, ["examine", "--model", str(tmp_path / "model.pth"), "--out", str(out),
                                          "--data-dir", str(mnist_dir)])
    assert result.exit_code == 0, result.output
    assert "Conv1 size: torch.Size([10, 1, 5, 5])" in result.output
    assert "Truncated model output size: torch.Size([1000, 20, 4, 4])" in result.output
    assert {path.name for path in (out / "figures").iterdir()} == FIGURES


def test_section_links_its_figures(net, tmp_path, mnist_data):
    checkpoint.save(net, tmp_path / "model.pth")
    text = examine.render(examine.compute(Context(out=tmp_path, data=mnist_data, model_path=tmp_path / "model.pth")))
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert {Path(link).name for link in links} == FIGURES
    assert all((tmp_path / link).is_file() for link in links)


@pytest.mark.parametrize("name, content, message", [
    ("model.pth", "not a model", "not a PyTorch state_dict"),
    ("missing.pth", None, "no such model file"),
    ("model.onnx", "", "unknown model file type"),
])
def test_bad_model_file_is_a_one_line_error(tmp_path, monkeypatch, capsys, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(InputError, match=message):
        load_torch_net(path)
    monkeypatch.setattr(sys, "argv", ["mnist-report", "examine", "--model", str(path)])
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 1
    error = capsys.readouterr().err
    assert error.startswith(f"error: {path}: ") and error.count("\n") == 1


def test_keras_twin_loads_as_the_same_network(net, tmp_path):
    keras_checkpoint = pytest.importorskip("keras_impl.checkpoint")  # keras_impl picks the JAX backend
    from keras_impl import convert
    from keras_impl.model import build

    twin = build()
    convert.set_weights(twin, convert.torch_to_keras({key: value.numpy() for key, value in net.state_dict().items()}))
    keras_checkpoint.save(twin, tmp_path / "twin.keras")
    loaded = load_torch_net(tmp_path / "twin.keras")
    for key, value in net.state_dict().items():
        assert torch.equal(loaded.state_dict()[key], value), key
