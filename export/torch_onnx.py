"""PyTorch -> ONNX with the dynamo exporter: the reference network, whole or cut at its dense-50 layer."""
import copy

import numpy as np
import onnx
import torch
from torch import nn

from recipe.normalisation import MNIST_MEAN, MNIST_STD
from runtime.models.contract import INPUT_NAME, INPUT_SHAPE, OUTPUTS
from torch_impl.embedding import embed_images
from torch_impl.model import Net
from torch_impl.predict import log_probabilities

OPSET = 20
# onnxruntime runs a convolution in its fast blocked layout (NCHWc) only when the input channels fill
# whole blocks: 8 floats with AVX2, 16 with AVX-512.
CHANNEL_BLOCK = 16


class Graph(nn.Module):
    """The shared input contract around `net`: [N, 1, 28, 28] images in [0, 1], normalised here."""

    def __init__(self, net: Net, kind: str) -> None:
        super().__init__()
        self.net, self.kind = net, kind

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        x = (image - MNIST_MEAN) / MNIST_STD
        return self.net(x) if self.kind == "full" else self.net.embed(x)


def framework() -> str:
    return f"pytorch {torch.__version__}"


def padded_channels(net: Net) -> Net:
    """A copy of `net` with zero filters appended to conv1 up to CHANNEL_BLOCK, and the matching zero input
    weights in conv2: the same outputs, and conv2 (10 input channels otherwise) runs in onnxruntime's
    blocked kernels, about 14% faster at batch 64 (bench/). Draws no random numbers (skip_init)."""
    padded, extra = copy.deepcopy(net), -net.conv1.out_channels % CHANNEL_BLOCK
    channels = net.conv1.out_channels + extra
    padded.conv1 = nn.utils.skip_init(nn.Conv2d, net.conv1.in_channels, channels, net.conv1.kernel_size)
    padded.conv2 = nn.utils.skip_init(nn.Conv2d, channels, net.conv2.out_channels, net.conv2.kernel_size)
    with torch.no_grad():
        padded.conv1.weight.copy_(nn.functional.pad(net.conv1.weight, (0, 0, 0, 0, 0, 0, 0, extra)))
        padded.conv1.bias.copy_(nn.functional.pad(net.conv1.bias, (0, extra)))
        padded.conv2.weight.copy_(nn.functional.pad(net.conv2.weight, (0, 0, 0, 0, 0, extra)))
        padded.conv2.bias.copy_(net.conv2.bias)
    return padded


def to_onnx(net: Net, kind: str) -> onnx.ModelProto:
    graph = Graph(padded_channels(net), kind).eval()
    program = torch.onnx.export(graph, (torch.zeros(2, *INPUT_SHAPE),), dynamo=True, external_data=False,
                                input_names=[INPUT_NAME], output_names=[OUTPUTS[kind][0]], opset_version=OPSET,
                                dynamic_shapes={"image": {0: torch.export.Dim("N")}}, verbose=False)
    return program.model_proto


def outputs(net: Net, kind: str, images01: np.ndarray) -> np.ndarray:
    """What the reference computes for [N, 28, 28] images, through its own code: the parity reference."""
    return log_probabilities(net, images01) if kind == "full" else embed_images(net, images01)
