"""Transfer learning, the other classic route to new symbols: keep the trained network, retrain its last layer.

The copy's convolutions and fc1 are frozen (and in eval mode, so dropout is off); fc2 is replaced
by a seeded Linear(50, n_classes) and trained full-batch with Adam. Because nothing before fc2
changes, the 50-d features are computed once and only the last layer sees the training loop; the
leave-one-out test trains one such layer per left-out drawing, all in one batched loop.
"""
import copy
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from torch_impl.embedding import embed_images
from torch_impl.model import Net

STEPS = 300
LEARNING_RATE = 0.01


def retarget(net: Net, n_classes: int, seed: int = 0) -> Net:
    """A copy of `net` with every weight frozen and a fresh, trainable last layer of n_classes outputs."""
    model = copy.deepcopy(net).eval()
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    torch.manual_seed(seed)
    model.fc2 = nn.Linear(model.fc1.out_features, n_classes)
    return model


def fit(net: Net, images01: np.ndarray, labels: np.ndarray, n_classes: int, seed: int = 0) -> Net:
    """`net` retargeted to n_classes, its last layer trained on the labelled [N, 28, 28] images."""
    model = retarget(net, n_classes, seed)
    weight, bias = train_layers(model.fc2, embed_images(model, images01), labels, np.ones((1, len(labels)), bool))
    model.fc2.weight.data, model.fc2.bias.data = weight[0], bias[0]
    return model


@torch.no_grad()
def predict(model: Net, images01: np.ndarray) -> np.ndarray:
    """The class index of each image."""
    return model.fc2(torch.from_numpy(embed_images(model, images01))).argmax(1).numpy()


def leave_one_out(net: Net, images01: np.ndarray, labels: np.ndarray, n_classes: int, groups: np.ndarray,
                  seed: int = 0) -> np.ndarray:
    """For each group >= 0 in increasing order (a drawing and its copies), the prediction for its first
    image by a last layer trained on every other group (negative groups, e.g. synthetic, always train)."""
    features = embed_images(net, images01)
    held_out = np.unique(groups[groups >= 0])
    weight, bias = train_layers(retarget(net, n_classes, seed).fc2, features, labels,
                                groups[None, :] != held_out[:, None])
    firsts = torch.from_numpy(features[[int(np.flatnonzero(groups == group)[0]) for group in held_out]])
    return (torch.einsum("hd,hcd->hc", firsts, weight) + bias).argmax(1).numpy()  # copy h on drawing h


def train_layers(initial: nn.Linear, features: np.ndarray, labels: np.ndarray,
                 masks: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    """Train H copies of `initial` at once, copy h on the rows where masks[h] is true: ([H, C, D], [H, C]).

    The loss is the sum of each copy's mean negative log-likelihood, so every copy trains exactly
    as it would alone (Adam's updates are per parameter).
    """
    inputs = torch.from_numpy(np.asarray(features, np.float32))
    targets = torch.from_numpy(np.asarray(labels, np.int64))[:, None, None].expand(-1, len(masks), 1)
    row_weights = torch.from_numpy(masks.T / masks.sum(axis=1)).float()  # [N, H]: 1/rows of h where h trains
    copies, classes, dimensions = len(masks), initial.out_features, initial.in_features
    weight = initial.weight.detach().repeat(copies, 1).requires_grad_()  # [H * C, D]: one matrix product for all
    bias = initial.bias.detach().repeat(copies).requires_grad_()
    optimiser = torch.optim.Adam([weight, bias], lr=LEARNING_RATE)
    with _one_thread():
        for _ in range(STEPS):
            optimiser.zero_grad()
            logits = (inputs @ weight.T + bias).reshape(len(inputs), copies, classes)
            nll = -F.log_softmax(logits, dim=2).gather(2, targets)[..., 0]
            (nll * row_weights).sum().backward()
            optimiser.step()
    return weight.detach().reshape(copies, classes, dimensions), bias.detach().reshape(copies, classes)


@contextmanager
def _one_thread() -> Iterator[None]:
    """These small steps run many times faster on one thread: handing them to others costs more than
    the arithmetic (measured 60x on two busy cores)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
