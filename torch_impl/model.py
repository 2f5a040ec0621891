"""The reference network, exactly as the seed report lists it, and its variants (the sweep's)."""
import torch
import torch.nn.functional as F
from torch import nn

from recipe.settings import SEED, Recipe


class Net(nn.Module):
    """conv 10@5x5 -> pool 2 + ReLU -> conv 20@5x5 -> dropout 0.5 -> pool 2 + ReLU -> fc 50 + ReLU -> fc 10.

    Another `recipe` changes the dimensions: more or fewer convolutions (conv1, conv2, conv3, ...), their
    kernels, filters and pooling, the dense width and dropout, the activation. Modules are created in the
    reference's order, so a seed gives the reference's initial weights."""

    def __init__(self, recipe: Recipe = SEED) -> None:
        super().__init__()
        self.recipe = recipe
        channels = 1
        for layer in range(1, recipe.conv_layers + 1):
            setattr(self, f"conv{layer}", nn.Conv2d(channels, recipe.channels(layer), recipe.kernel_size))
            channels = recipe.channels(layer)
        setattr(self, f"conv{recipe.conv_layers}_drop", nn.Dropout2d(recipe.dropout))
        self.fc1 = nn.Linear(channels * recipe.final_side() ** 2, recipe.hidden)
        self.fc1_drop = nn.Dropout(recipe.dense_dropout) if recipe.dense_dropout else None
        self.fc2 = nn.Linear(recipe.hidden, 10)
        self.activation = getattr(F, recipe.activation)

    def convolutions(self, x: torch.Tensor) -> torch.Tensor:
        """[N, 1, 28, 28] -> [N, 20, 4, 4] (the seed net): the convolution stages."""
        last = self.recipe.conv_layers
        for layer in range(1, last + 1):
            x = getattr(self, f"conv{layer}")(x)
            if layer == last:
                x = getattr(self, f"conv{last}_drop")(x)
            if self.recipe.pooled(layer):
                x = F.max_pool2d(x, self.recipe.pool_size)
            x = self.activation(x)
        return x

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """[N, 1, 28, 28] -> [N, 50]: the dense-50 layer after its activation."""
        return self.activation(self.fc1(torch.flatten(self.convolutions(x), 1)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """[N, 1, 28, 28] normalised images -> [N, 10] log-probabilities."""
        x = self.embed(x)
        if self.fc1_drop is not None:
            x = self.fc1_drop(x)
        return F.log_softmax(self.fc2(x), dim=1)
