"""MNIST as normalised tensors held in memory: no per-sample Python work in the training loop."""
import numpy as np
import torch

from recipe.normalisation import normalise
from runtime.data import mnist

Tensors = tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]


def to_tensor(images: np.ndarray) -> torch.Tensor:
    """uint8 [N, 28, 28] -> normalised float32 [N, 1, 28, 28]."""
    return torch.from_numpy(normalise(images.astype(np.float32) / 255.0)).unsqueeze(1)


def as_tensors(data: mnist.Mnist) -> Tensors:
    """(train images, train labels, test images, test labels)."""
    return (to_tensor(data.train_images), torch.from_numpy(data.train_labels.astype(np.int64)),
            to_tensor(data.test_images), torch.from_numpy(data.test_labels.astype(np.int64)))

