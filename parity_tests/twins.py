"""Both networks side by side: weights in either framework, outputs in inference mode as numpy arrays."""
from typing import NamedTuple

import numpy as np
import torch

from keras_impl import model as km
from keras_impl.convert import set_weights
from torch_impl.model import Net


class Outputs(NamedTuple):
    log_probs: np.ndarray  # [N, 10]
    embeddings: np.ndarray  # [N, 50]
    convolutions: np.ndarray  # [N, 4, 4, 20], channels last whichever framework made it


def torch_state(net: Net) -> dict[str, np.ndarray]:
    return {key: value.numpy() for key, value in net.state_dict().items()}


def torch_net_with(state: dict[str, np.ndarray]) -> Net:
    net = Net()
    net.load_state_dict({key: torch.from_numpy(value) for key, value in state.items()})
    return net.eval()


def keras_model_with(weights: dict[str, np.ndarray]):
    model = km.build()
    set_weights(model, weights)
    return model


@torch.no_grad()
def torch_outputs(net: Net, images: np.ndarray) -> Outputs:
    """`images`: normalised [N, 28, 28]."""
    x = torch.from_numpy(images).unsqueeze(1)
    net.eval()
    return Outputs(net(x).numpy(), net.embed(x).numpy(), net.convolutions(x).numpy().transpose(0, 2, 3, 1))


def keras_outputs(model, images: np.ndarray) -> Outputs:
    """`images`: normalised [N, 28, 28]."""
    x = images[..., np.newaxis]
    stages = (model, km.embedding(model), km.convolutions(model))
    return Outputs(*(stage.predict(x, batch_size=1000, verbose=0) for stage in stages))


def accuracy(log_probs: np.ndarray, labels: np.ndarray) -> float:
    return float((log_probs.argmax(1) == labels).mean())
