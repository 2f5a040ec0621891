"""The FLOPs bench.ceiling counts from the layer shapes are those PyTorch's own counter sees in a training step."""
import pytest

from bench.ceiling import gflops, training_flops
from recipe.settings import SEED, Recipe

torch = pytest.importorskip("torch")


def counted_by_pytorch(recipe: Recipe, batch: int = 8) -> float:
    """torch.utils.flop_counter's FLOPs of one forward and backward pass of the recipe's Net, per image."""
    import torch.nn.functional as F
    from torch.utils.flop_counter import FlopCounterMode

    from torch_impl.model import Net

    net = Net(recipe)
    with FlopCounterMode(display=False) as counter:
        F.nll_loss(net(torch.randn(batch, 1, 28, 28)), torch.zeros(batch, dtype=torch.long)).backward()
    return counter.get_total_flops() / batch


@pytest.mark.parametrize("recipe", [SEED, Recipe(conv_layers=3, kernel_size=3, pool_layers=(1, 3), hidden=64,
                                                 filters=8)], ids=["seed", "three convolutions"])
def test_counted_flops_match_pytorch_flop_counter(recipe):
    assert training_flops(recipe) == counted_by_pytorch(recipe)


def test_the_seed_network_costs_2_6_mflop_per_training_image():
    assert training_flops(SEED) == 2_595_000


def test_gflops_of_a_product():
    assert gflops(2.0, side=1000) == pytest.approx(1.0)
