import pytest
import torch
from rich.progress import Progress

from runtime.errors import InputError
from sweep.config import NetConfig, with_values
from sweep.network import ConfigurableNet
from sweep.torch_train import train_variant
from torch_impl.config import TrainConfig
from torch_impl.data import as_tensors
from torch_impl.model import Net
from torch_impl.train import train


def test_default_is_the_reference_layer_for_layer():
    reference, built = Net(), ConfigurableNet(NetConfig())
    assert [(name, p.shape) for name, p in built.named_parameters()] == \
           [(name, p.shape) for name, p in reference.named_parameters()]
    assert str(built).replace("ConfigurableNet", "Net") == str(reference)
    built.load_state_dict(reference.state_dict())
    x = torch.randn(5, 1, 28, 28)
    assert torch.equal(built.eval()(x), reference.eval()(x))


def test_same_seed_gives_the_reference_initial_weights():
    torch.manual_seed(7)
    reference = Net()
    torch.manual_seed(7)
    built = ConfigurableNet(NetConfig())
    for (name, expected), actual in zip(reference.state_dict().items(), built.state_dict().values()):
        assert torch.equal(expected, actual), name


def test_default_training_is_the_reference_training(mnist_data):
    """Same seeded loop: a 1-epoch run gives the reference's test loss and accuracy to the last bit."""
    tensors = as_tensors(mnist_data)
    subset = (*tensors[:2], tensors[2][:200], tensors[3][:200])
    _, history = train(TrainConfig(epochs=1, train_limit=256, seed=3), subset)
    with Progress(disable=True) as progress:
        rows = train_variant(NetConfig(epochs=1, train_limit=256), 3, progress, progress.add_task(""), subset)
    assert (rows[0]["test_loss"], rows[0]["test_accuracy"]) == (history[-1].test_loss, history[-1].test_accuracy)


@pytest.mark.parametrize("values", [
    {"conv_layers": 1}, {"conv_layers": 3, "kernel_size": 3}, {"pool_layers": [2], "pool_size": 3},
    {"filters": 16, "hidden": 100, "dense_dropout": 0.3}, {"activation": "tanh"}, {"activation": "leaky_relu"},
])
def test_every_dimension_builds_a_working_network(values):
    config = with_values(NetConfig(), values)
    log_probs = ConfigurableNet(config).train()(torch.randn(4, 1, 28, 28))
    assert log_probs.shape == (4, 10)
    torch.testing.assert_close(log_probs.exp().sum(1), torch.ones(4))


def test_dimensions_reach_the_layers():
    net = ConfigurableNet(with_values(NetConfig(), {"conv_layers": 3, "kernel_size": 3, "filters": 8,
                                                    "dense_dropout": 0.25, "dropout": 0.1}))
    assert [net.conv1.out_channels, net.conv2.out_channels, net.conv3.out_channels] == [8, 16, 32]
    assert net.conv3_drop.p == 0.1 and net.fc1_drop.p == 0.25
    assert net.fc1.in_features == 32 * 1 * 1  # 28 -conv-> 26 -pool-> 13 -> 11 -> 5 -> 3 -> 1


def test_other_dimensions_train_too():
    config = with_values(NetConfig(), {"conv_layers": 1, "optimizer": "adamw", "lr": 0.001, "dense_dropout": 0.2,
                                       "activation": "elu", "epochs": 2, "batch_size": 16})
    data = (torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,)), torch.randn(32, 1, 28, 28),
            torch.randint(0, 10, (32,)))
    with Progress(disable=True) as progress:
        rows = train_variant(config, 1, progress, progress.add_task(""), data)
    assert [row["epoch"] for row in rows] == [1, 2] and rows[1]["seconds"] >= rows[0]["seconds"] > 0


@pytest.mark.parametrize("values, message", [
    ({"conv_layers": 3}, "shrink the 28x28 image to nothing"),
    ({"pool_layers": [3]}, "must name layers 1 to 2"),
    ({"dropout": 1}, "dropout must be in"),
    ({"activation": "swish"}, "activation 'swish' is not one of"),
    ({"batch_size": 0}, "batch_size must be at least 1"),
    ({"epochs": 2.5}, "epochs: 2.5 is not a valid value"),
    ({"width": 3}, "unknown dimension 'width'"),
])
def test_bad_configurations_are_one_line_errors(values, message):
    with pytest.raises(InputError, match=message) as error:
        with_values(NetConfig(), values)
    assert "\n" not in str(error.value)
