"""The network's variants (torch_impl.model.Net of any recipe) and the sweep's training of them."""
import pytest
import torch

from recipe.history import evaluated_epochs
from recipe.settings import SEED, Recipe
from runtime.data.mnist import Mnist
from runtime.errors import InputError
from sweep.config import with_values
from sweep.trial import Trial
from sweep.trial import train as train_trial
from torch_impl.data import as_tensors
from torch_impl.model import Net
from torch_impl.train import evaluate, seeded_model, train, trained_epochs


def test_the_default_is_the_seed_net():
    net = Net()
    assert [(name, tuple(p.shape)) for name, p in net.named_parameters()] == [
        ("conv1.weight", (10, 1, 5, 5)), ("conv1.bias", (10,)), ("conv2.weight", (20, 10, 5, 5)), ("conv2.bias", (20,)),
        ("fc1.weight", (50, 320)), ("fc1.bias", (50,)), ("fc2.weight", (10, 50)), ("fc2.bias", (10,))]
    assert [name for name, _ in net.named_children()] == ["conv1", "conv2", "conv2_drop", "fc1", "fc2"]
    assert net.conv2_drop.p == 0.5 and net.recipe == SEED


def test_a_sweep_trial_is_the_reference_training(mnist_data):
    """Same seeded loop: a 1-epoch trial gives the reference's test loss and accuracy to the last bit."""
    data = Mnist(mnist_data.train_images[:256], mnist_data.train_labels[:256],
                 mnist_data.test_images[:200], mnist_data.test_labels[:200])
    _, history = train(Recipe(epochs=1, seed=3), as_tensors(data))
    rows = train_trial(Trial("torch", Recipe(epochs=1), 3, torch.get_num_threads()), data)
    assert (rows[0]["test_loss"], rows[0]["test_accuracy"]) == (history[-1].test_loss, history[-1].test_accuracy)


@pytest.mark.parametrize("values", [
    {"conv_layers": 1}, {"conv_layers": 3, "kernel_size": 3}, {"pool_layers": [2], "pool_size": 3},
    {"filters": 16, "hidden": 100, "dense_dropout": 0.3}, {"activation": "tanh"}, {"activation": "leaky_relu"},
])
def test_every_dimension_builds_a_working_network(values):
    log_probs = Net(with_values(Recipe(), values)).train()(torch.randn(4, 1, 28, 28))
    assert log_probs.shape == (4, 10)
    torch.testing.assert_close(log_probs.exp().sum(1), torch.ones(4))


def test_dimensions_reach_the_layers():
    net = Net(with_values(Recipe(), {"conv_layers": 3, "kernel_size": 3, "filters": 8, "dense_dropout": 0.25,
                                     "dropout": 0.1}))
    assert [net.conv1.out_channels, net.conv2.out_channels, net.conv3.out_channels] == [8, 16, 32]
    assert net.conv3_drop.p == 0.1 and net.fc1_drop.p == 0.25
    assert net.fc1.in_features == 32 * 1 * 1  # 28 -conv-> 26 -pool-> 13 -> 11 -> 5 -> 3 -> 1


def test_other_dimensions_train_too():
    recipe = with_values(Recipe(), {"conv_layers": 1, "optimizer": "adamw", "lr": 0.001, "dense_dropout": 0.2,
                                    "activation": "elu", "epochs": 2, "batch_size": 16})
    train_x, train_y = torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))
    test_x, test_y = torch.randn(32, 1, 28, 28), torch.randint(0, 10, (32,))
    model, batches = seeded_model(recipe), []
    epochs = trained_epochs(model, recipe, train_x, train_y, lambda done, total, loss: batches.append((done, total)))
    rows = evaluated_epochs(epochs, lambda: evaluate(model, test_x, test_y))
    assert [row["epoch"] for row in rows] == [1, 2] and rows[1]["seconds"] >= rows[0]["seconds"] > 0
    assert batches[:4] == [(16, 64), (32, 64), (48, 64), (64, 64)] and len(batches) == 8


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
        with_values(Recipe(), values)
    assert "\n" not in str(error.value)
