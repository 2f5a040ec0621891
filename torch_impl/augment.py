"""Random distortions of whole training batches with torch ops: affine warps and stroke thickness.

Every image of a batch gets its own rotation, scale, shear and shift (one grid_sample call for the
batch) and then has its strokes thickened or thinned by blending towards a 3x3 dilation or erosion.
"""
import torch
import torch.nn.functional as F

from recipe.normalisation import MNIST_MEAN, MNIST_STD

ROTATION = 12.0  # degrees, uniform +-
SCALE = 0.1  # relative size change, uniform +-
SHEAR = 0.2  # horizontal shear factor, uniform +-
SHIFT = 2 / 14  # affine_grid units (1 = half the 28-px side): 2 px, uniform +-
THICKEN = 0.6  # largest blend towards the dilated image
THIN = 0.4  # largest blend towards the eroded image


def augment(batch: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Normalised [N, 1, 28, 28] -> the same, each image randomly warped and re-stroked."""
    ink = batch * MNIST_STD + MNIST_MEAN  # back to [0, 1] so that zero padding is the background
    ink = _restroke(_warp(ink, generator), generator)
    return (ink - MNIST_MEAN) / MNIST_STD


def _uniform(count: int, limit: float, generator: torch.Generator) -> torch.Tensor:
    return (torch.rand(count, generator=generator) * 2 - 1) * limit


def _warp(ink: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    count = len(ink)
    angle = torch.deg2rad(_uniform(count, ROTATION, generator))
    scale = 1 + _uniform(count, SCALE, generator)
    shear = _uniform(count, SHEAR, generator)
    cos, sin, zeros, ones = torch.cos(angle), torch.sin(angle), torch.zeros(count), torch.ones(count)
    rotate = torch.stack([cos, -sin, sin, cos], 1).view(count, 2, 2)
    skew = torch.stack([ones, shear, zeros, ones], 1).view(count, 2, 2)
    # affine_grid maps output to input coordinates: dividing by `scale` grows the digit by `scale`.
    linear = rotate @ skew / scale.view(count, 1, 1)
    shift = torch.stack([_uniform(count, SHIFT, generator), _uniform(count, SHIFT, generator)], 1)
    theta = torch.cat([linear, shift.unsqueeze(2)], 2)
    grid = F.affine_grid(theta, list(ink.shape), align_corners=False)
    return F.grid_sample(ink, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def _restroke(ink: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    amount = _uniform(len(ink), 1.0, generator).view(-1, 1, 1, 1)
    thicker = F.max_pool2d(ink, 3, stride=1, padding=1)
    thinner = -F.max_pool2d(-ink, 3, stride=1, padding=1)
    return torch.where(amount > 0, ink + amount * THICKEN * (thicker - ink), ink - amount * THIN * (thinner - ink))
