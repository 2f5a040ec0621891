"""How the network's inputs are standardised: as the MNIST training images were (their mean and deviation).

The exported graphs do it inside (runtime's images stay in [0, 1]); the twins' training and prediction do
it on the way in.
"""
import numpy as np

MNIST_MEAN = 0.1307
MNIST_STD = 0.3081


def normalise(x01: np.ndarray) -> np.ndarray:
    """Standardise like the MNIST training inputs."""
    return ((np.asarray(x01, np.float32) - MNIST_MEAN) / MNIST_STD).astype(np.float32)
