"""What this machine's cores can compute at most, and the FLOPs a training step of the network costs.

The ceiling is the sustained float32 rate of a large matrix product on every core, through numpy's BLAS and
through PyTorch's: the most any training here could reach. A training's rate is its images/s times the FLOPs
of one image's step, counted from the layer shapes (tests/test_bench_ceiling.py checks the count against
PyTorch's own FLOP counter)."""
from dataclasses import dataclass

import numpy as np
import torch

from bench.timing import seconds_of
from recipe.settings import IMAGE_SIDE, SEED, Recipe

SIDE = 2048  # of the square matrices: large enough that the product is compute-bound, 0.1-0.3 s here


@dataclass(frozen=True)
class Ceiling:
    numpy_gflops: float
    torch_gflops: float

    @property
    def gflops(self) -> float:
        return max(self.numpy_gflops, self.torch_gflops)


def multiply_adds(recipe: Recipe = SEED) -> list[int]:
    """Multiply-adds per image of each convolution and dense layer, in order (pooling, activations and
    biases are a few thousand additions and comparisons beside 480,500 multiply-adds: not counted)."""
    counts, side, channels = [], IMAGE_SIDE, 1
    for layer in range(1, recipe.conv_layers + 1):
        side -= recipe.kernel_size - 1
        counts.append(side * side * recipe.channels(layer) * channels * recipe.kernel_size ** 2)
        channels = recipe.channels(layer)
        if recipe.pooled(layer):
            side //= recipe.pool_size
    return counts + [channels * side * side * recipe.hidden, recipe.hidden * 10]


def training_flops(recipe: Recipe = SEED) -> int:
    """FLOPs of one image's training step, a multiply-add counted as 2: the forward pass, every weight's
    gradient (as many again), and every layer's input gradient but the first's (the image needs none)."""
    counts = multiply_adds(recipe)
    return 2 * sum(counts) + 2 * sum(counts) + 2 * sum(counts[1:])


def gflops(seconds_per_product: float, side: int = SIDE) -> float:
    return 2 * side ** 3 / seconds_per_product / 1e9


def run(repeats: int, side: int = SIDE) -> Ceiling:
    """float32 [side, side] @ [side, side] on every core, numpy and PyTorch (its threads as this process has them),
    each the fastest of `repeats` products: the sustained rate, not a neighbour's interruption."""
    a, b = np.random.default_rng(0).standard_normal((2, side, side), dtype=np.float32)
    ta, tb = torch.from_numpy(a), torch.from_numpy(b)
    return Ceiling(gflops(min(seconds_of(lambda: a @ b, repeats)), side),
                   gflops(min(seconds_of(lambda: ta @ tb, repeats)), side))
