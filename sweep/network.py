"""The network a NetConfig describes; its default is the reference Net, layer for layer and name for name."""
import torch
import torch.nn.functional as F
from torch import nn

from sweep.config import NetConfig


class ConfigurableNet(nn.Module):
    """conv (-> channel dropout, last only) (-> max-pool) -> activation, repeated; fc -> activation
    (-> dropout) -> fc 10 -> log_softmax. Modules are created in the reference's order, so a seed
    gives the reference's initial weights."""

    def __init__(self, config: NetConfig) -> None:
        super().__init__()
        self.config = config
        channels = 1
        for layer in range(1, config.conv_layers + 1):
            setattr(self, f"conv{layer}", nn.Conv2d(channels, config.channels(layer), config.kernel_size))
            channels = config.channels(layer)
        setattr(self, f"conv{config.conv_layers}_drop", nn.Dropout2d(config.dropout))
        self.fc1 = nn.Linear(channels * config.final_side() ** 2, config.hidden)
        self.fc1_drop = nn.Dropout(config.dense_dropout) if config.dense_dropout else None
        self.fc2 = nn.Linear(config.hidden, 10)
        self.activation = getattr(F, config.activation)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """[N, 1, 28, 28] normalised images -> [N, 10] log-probabilities."""
        last = self.config.conv_layers
        for layer in range(1, last + 1):
            x = getattr(self, f"conv{layer}")(x)
            if layer == last:
                x = getattr(self, f"conv{last}_drop")(x)
            if self.config.pooled(layer):
                x = F.max_pool2d(x, self.config.pool_size)
            x = self.activation(x)
        x = self.activation(self.fc1(torch.flatten(x, 1)))
        if self.fc1_drop is not None:
            x = self.fc1_drop(x)
        return F.log_softmax(self.fc2(x), dim=1)

