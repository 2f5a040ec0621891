"""The classic PyTorch MNIST loop, as pytorch/examples writes it: torchvision's MNIST dataset turns
every sample into a PIL image, then a tensor, then normalises it, one at a time, inside a DataLoader."""
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, transforms

from recipe.normalisation import MNIST_MEAN, MNIST_STD
from runtime.data import mnist

TRANSFORM = transforms.Compose([transforms.ToTensor(), transforms.Normalize((MNIST_MEAN,), (MNIST_STD,))])


def dataset_root(data_dir: Path, root: Path) -> Path:
    """A torchvision MNIST root whose MNIST/raw/ links to our four IDX files.

    torchvision accepts the uncompressed files there (its existence check only looks for them),
    so nothing is downloaded or converted.
    """
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for name in mnist.SHA256:
        link = raw / name
        if not link.exists():
            link.symlink_to((data_dir / name).resolve())
    return root


def train_loader(root: Path, images: int, batch_size: int, seed: int) -> DataLoader:
    """The first `images` training images, shuffled each pass; no workers, as the example runs on a CPU."""
    dataset = datasets.MNIST(root, train=True, download=False, transform=TRANSFORM)
    return DataLoader(Subset(dataset, range(images)), batch_size=batch_size, shuffle=True,
                      generator=torch.Generator().manual_seed(seed))


def train_pass(model: torch.nn.Module, optimizer: torch.optim.Optimizer, loader: DataLoader) -> None:
    model.train()
    for data, target in loader:
        optimizer.zero_grad()
        loss = F.nll_loss(model(data), target)
        loss.backward()
        optimizer.step()
