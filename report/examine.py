"""Report part "Examine your network" (seed tasks A-C): the first layer's filters, their effect, a truncated model."""
from pathlib import Path
from typing import NamedTuple

import numpy as np
import torch

from frameworks.convert import load_torch_net
from report import examine_figures
from report.context import Context
from torch_impl.data import to_tensor
from torch_impl.embedding import Truncated
from torch_impl.model import Net

BATCH = 1000  # test images run through the truncated model


class Finding(NamedTuple):
    heading: str
    printed: str  # what the seed prints: the numbers, and the shapes
    figures: list[Path]


# The prose of each finding, from the labels of the images it shows.
PROSE = {
    "A. Analyse the first layer":
        "`conv1.weight`: ten 5x5 filters on the one input channel; red weights positive, blue negative.",
    "B. Show the effect of the filters":
        "Each filter applied with OpenCV `filter2D` to the first training image (label {train_label}), normalised "
        "as the network sees it. `filter2D` computes the same cross-correlation as the convolution layer (bias "
        "aside), so these are conv1's own maps. A filter with positive weights on one side and negative on the "
        "other brings out the stroke edges that run across that direction.",
    "C. Build a truncated model":
        "A model that runs only the two convolution stages of the trained network (it wraps the network, sharing "
        "its weights), applied to the first {batch} test images; below, the first example's activations (label "
        "{test_label}), its 20 channel maps (each on its own grey scale), and the maps after conv1 alone beside "
        "those after conv1 and conv2 together.",
}


@torch.no_grad()
def findings(net: Net, context: Context) -> list[Finding]:
    """Examine `net` on the context's data, writing the figures under `context.figure`."""
    weight = net.conv1.weight.detach()
    filters = weight[:, 0].numpy()
    train_image = to_tensor(context.data.train_images[:1])[0, 0].numpy()
    batch = to_tensor(context.data.test_images[:BATCH])
    activations = Truncated(net, "convolutions").eval()(batch)
    first = activations[0].numpy()
    return [
        Finding("A. Analyse the first layer", f"{_values(weight)}\nConv1 size: {weight.shape}",
                [examine_figures.conv1_filters(filters, context.figure("conv1_filters.png"))]),
        Finding("B. Show the effect of the filters", "",
                [examine_figures.filter_effects(train_image, filters, context.figure("conv1_filter_effects.png"))]),
        Finding("C. Build a truncated model",
                f"Truncated model output size: {activations.shape}\n{_values(activations[0])}",
                [examine_figures.channel_maps(first, context.figure("truncated_channels.png")),
                 examine_figures.two_stages(batch[0, 0].numpy(), net.conv1(batch[:1])[0].numpy(), first,
                                            context.figure("conv1_vs_conv2.png"))]),
    ]


def _values(tensor: torch.Tensor) -> str:
    """Four decimals and never scientific notation, so the numbers read like the seed's."""
    return np.array2string(tensor.numpy(), precision=4, floatmode="fixed", suppress_small=True)


def compute(context: Context) -> dict:
    """The findings on the model saved at `context.model_path`, its figures written."""
    found = findings(load_torch_net(context.model_path), context)
    return {"model_path": str(context.model_path), "batch": BATCH, "train_label": int(context.data.train_labels[0]),
            "test_label": int(context.data.test_labels[0]),
            "findings": [{**finding._asdict(), "figures": [context.link(path) for path in finding.figures]}
                         for finding in found]}


def render(facts: dict) -> str:
    parts = ["# Examine your network", f"The network examined: `{facts['model_path']}`."]
    for finding in facts["findings"]:
        parts.append(f"## {finding['heading']}\n\n" + PROSE[finding["heading"]].format(**facts))
        if finding["printed"]:
            parts.append(f"```\n{finding['printed']}\n```")
        parts += [f"![{Path(path).stem}]({path})" for path in finding["figures"]]
    return "\n\n".join(parts)
