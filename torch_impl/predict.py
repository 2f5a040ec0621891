"""Run the reference network on MNIST test examples and on pictures of digits."""
import numpy as np
import torch

from recipe.normalisation import normalise
from runtime.reading import read
from torch_impl.model import Net


@torch.no_grad()
def log_probabilities(model: Net, images01: np.ndarray) -> np.ndarray:
    """[N, 28, 28] ink-bright images in [0, 1] -> [N, 10] log-probabilities."""
    batch = torch.from_numpy(normalise(images01.astype(np.float32))).unsqueeze(1)
    return model.eval()(batch).numpy()


def predict_files(model: Net, paths) -> tuple[np.ndarray, np.ndarray]:
    """Preprocessed 28x28 images and their log-probabilities, for picture files."""
    images = np.stack([read(path).image for path in paths])
    return images, log_probabilities(model, images)
