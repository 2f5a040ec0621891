"""The trained network truncated at its dense-50 layer: a 50-d embedding of any 28x28 symbol."""
import numpy as np
import torch
from torch import nn

from recipe.normalisation import normalise
from torch_impl.model import Net


class Truncated(nn.Module):
    """`net` up to one of its stages, sharing its weights (no copy): "embed" (conv1 ... fc1 + ReLU), [N, 1, 28, 28]
    -> [N, 50]; or "convolutions" (the two convolution stages), -> [N, 20, 4, 4]. Inputs normalised."""

    def __init__(self, net: Net, stage: str = "embed") -> None:
        super().__init__()
        self.net, self.stage = net, stage

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return getattr(self.net, self.stage)(x)


@torch.no_grad()
def embed_images(model: nn.Module, images01: np.ndarray, batch_size: int = 1000) -> np.ndarray:
    """[N, 28, 28] ink-bright images in [0, 1] -> float32 [N, 50] (model in eval mode)."""
    truncated = model if isinstance(model, Truncated) else Truncated(model)
    truncated.eval()
    batches = [torch.from_numpy(normalise(images01[i : i + batch_size])).unsqueeze(1)
               for i in range(0, len(images01), batch_size)]
    return torch.cat([truncated(batch) for batch in batches]).numpy() if batches else np.zeros((0, 50), np.float32)
