"""The reference network, exactly as the seed report lists it."""
import torch
import torch.nn.functional as F
from torch import nn


class Net(nn.Module):
    """conv 10@5x5 -> pool 2 + ReLU -> conv 20@5x5 -> dropout 0.5 -> pool 2 + ReLU -> fc 50 + ReLU -> fc 10."""

    def __init__(self) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.conv2_drop = nn.Dropout2d(0.5)
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def convolutions(self, x: torch.Tensor) -> torch.Tensor:
        """[N, 1, 28, 28] -> [N, 20, 4, 4]: the two convolution stages."""
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        return F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """[N, 1, 28, 28] -> [N, 50]: the dense-50 layer after its ReLU."""
        return F.relu(self.fc1(torch.flatten(self.convolutions(x), 1)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """[N, 1, 28, 28] normalised images -> [N, 10] log-probabilities."""
        return F.log_softmax(self.fc2(self.embed(x)), dim=1)
