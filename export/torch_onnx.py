"""PyTorch -> ONNX with the dynamo exporter: the reference network, whole or cut at its dense-50 layer."""
from pathlib import Path

import numpy as np
import onnx
import torch
from torch import nn

from runtime.onnx_model import INPUT_NAME, INPUT_SHAPE, OUTPUTS
from runtime.preprocess import MNIST_MEAN, MNIST_STD
from torch_impl import checkpoint
from torch_impl.embedding import embed_images
from torch_impl.model import Net
from torch_impl.predict import log_probabilities

OPSET = 20


class Graph(nn.Module):
    """The shared input contract around `net`: [N, 1, 28, 28] images in [0, 1], normalised here."""

    def __init__(self, net: Net, kind: str) -> None:
        super().__init__()
        self.net, self.kind = net, kind

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        x = (image - MNIST_MEAN) / MNIST_STD
        return self.net(x) if self.kind == "full" else self.net.embed(x)


def load(path: Path) -> Net:
    return checkpoint.load(path)


def framework() -> str:
    return f"pytorch {torch.__version__}"


def to_onnx(net: Net, kind: str) -> onnx.ModelProto:
    graph = Graph(net, kind).eval()
    program = torch.onnx.export(graph, (torch.zeros(2, *INPUT_SHAPE),), dynamo=True, external_data=False,
                                input_names=[INPUT_NAME], output_names=[OUTPUTS[kind][0]], opset_version=OPSET,
                                dynamic_shapes={"image": {0: torch.export.Dim("N")}}, verbose=False)
    return program.model_proto


def outputs(net: Net, kind: str, images01: np.ndarray) -> np.ndarray:
    """What the reference computes for [N, 28, 28] images, through its own code: the parity reference."""
    return log_probabilities(net, images01) if kind == "full" else embed_images(net, images01)
