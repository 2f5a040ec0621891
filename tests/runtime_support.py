"""Helpers of the runtime's tests, which also run in a virtual environment holding only the base
install (numpy, onnxruntime, OpenCV, typer): nothing here may need torch, keras or the repo's conftest."""
import os
from pathlib import Path

import cv2
import numpy as np
import pytest

from runtime import mnist

SHARED_DATA = Path(os.environ.get("SHARED_DATA", "../shared/data"))
MNIST_DIR = Path(os.environ.get("MNIST_DIR", mnist.DEFAULT_DIR))
FORBIDDEN = ("torch", "torchvision", "keras", "jax", "jaxlib", "tensorflow", "matplotlib")


def mnist_test_set() -> mnist.Mnist:
    return mnist.load(MNIST_DIR)


def write_digits(folder: Path, images: np.ndarray, labels: np.ndarray) -> list[Path]:
    """MNIST digits as pictures the way people make them: dark ink on light paper, 4x larger."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, (image, label) in enumerate(zip(images, labels)):
        picture = 255 - cv2.resize(image, (112, 112), interpolation=cv2.INTER_CUBIC)
        paths.append(folder / f"{label}_{index:03d}.png")
        cv2.imwrite(str(paths[-1]), picture)
    return paths


def shared_folder(name: str) -> Path:
    folder = SHARED_DATA / name
    if not folder.is_dir():
        pytest.skip(f"{folder} not present")
    return folder
