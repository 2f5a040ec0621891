import json

import pytest
import torch

from recipe.settings import Recipe
from runtime.errors import InputError
from torch_impl import checkpoint
from torch_impl.data import as_tensors
from torch_impl.model import Net
from torch_impl.train import train


@pytest.fixture(scope="module")
def tensors(mnist_data):
    return as_tensors(mnist_data)


def test_shapes_of_every_stage():
    net = Net().eval()
    x = torch.zeros(3, 1, 28, 28)
    assert net.convolutions(x).shape == (3, 20, 4, 4)
    assert net.embed(x).shape == (3, 50)
    log_probs = net(x)
    assert log_probs.shape == (3, 10)
    torch.testing.assert_close(log_probs.exp().sum(1), torch.ones(3))


def test_same_seed_gives_bit_identical_weights(tensors):
    config = Recipe(epochs=1, train_limit=640, seed=3)
    subset = (*tensors[:2], tensors[2][:100], tensors[3][:100])
    first, _ = train(config, subset)
    second, _ = train(config, subset)
    other, _ = train(Recipe(epochs=1, train_limit=640, seed=4), subset)
    for key, value in first.state_dict().items():
        assert torch.equal(value, second.state_dict()[key]), key
    assert not torch.equal(first.fc2.weight, other.fc2.weight)


def test_outlier_exposure_flattens_the_probabilities_of_pictures_holding_no_digit(tensors):
    subset = (*tensors[:2], tensors[2][:200], tensors[3][:200])
    noise = torch.rand(512, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 3 - 0.4  # normalised range
    outliers, unseen = noise[:256], noise[256:]
    trained = {weight: train(Recipe(epochs=1, train_limit=1280, seed=3, optimizer="adamw", lr=0.003,
                                    outlier_exposure=weight), subset, outliers=outliers)[0] for weight in (0, 1)}
    with torch.no_grad():
        best = {weight: model(unseen).exp().max(1).values.mean() for weight, model in trained.items()}
        digits = trained[1](subset[2]).exp().max(1).values.mean()
    assert best[1] < 0.15 < 0.25 < best[0] and digits > 0.5  # noise near 0.1 (equal), digits still told
    with pytest.raises(InputError, match="pass outliers"):
        train(Recipe(epochs=1, train_limit=64, outlier_exposure=1.0), subset)


def test_checkpoint_round_trip_and_bad_files(tmp_path):
    net = Net()
    path = tmp_path / "model.pth"
    checkpoint.save(net, path)
    loaded = checkpoint.load(path)
    for key, value in net.state_dict().items():
        assert torch.equal(value, loaded.state_dict()[key])
    from runtime.errors import InputError
    (tmp_path / "text.pth").write_text("not a model")
    with pytest.raises(InputError, match="text.pth: not a PyTorch state_dict"):
        checkpoint.load(tmp_path / "text.pth")
    state = net.state_dict()
    state["extra.weight"] = torch.zeros(1)
    del state["fc2.bias"]
    torch.save(state, tmp_path / "keys.pth")
    with pytest.raises(InputError, match=r"missing \['fc2.bias'\], unexpected \['extra.weight'\]"):
        checkpoint.load(tmp_path / "keys.pth")


def test_default_training_reaches_98_percent(reference_model):
    """The seed recipe: 5 epochs, SGD lr 0.01 momentum 0.5, batch 64."""
    _, history = reference_model
    print("\n" + json.dumps([round(r.test_accuracy, 4) for r in history]))
    assert len(history) == 6
    assert history[-1].test_accuracy >= 0.98
    assert history[-1].test_loss < history[1].test_loss < history[0].test_loss


def test_checkpoint_keeps_the_settings_the_weights_were_trained_with(tmp_path):
    """Only what the optimizer used: no momentum beside AdamW; a file saved without settings has none."""
    from recipe.settings import SHIPPED

    net = Net()
    checkpoint.save(net, tmp_path / "shipped.pth", SHIPPED.trained_with())
    assert checkpoint.trained_with(tmp_path / "shipped.pth") == SHIPPED.trained_with()
    assert torch.equal(checkpoint.load(tmp_path / "shipped.pth").fc2.weight, net.fc2.weight)
    assert "momentum" not in SHIPPED.trained_with() and Recipe().trained_with()["momentum"] == 0.5
    checkpoint.save(Net(), tmp_path / "plain.pth")
    assert checkpoint.trained_with(tmp_path / "plain.pth") is None
