"""Report part "Build and train a network to recognise digits" (seed tasks A-G)."""
import json

import cv2
import numpy as np

from plots import figures
from recipe import progress
from recipe.history import EpochResult, format_epoch, format_example, history_rows
from report.context import Context, shared_folder
from runtime import atomic
from torch_impl import checkpoint
from torch_impl.data import as_tensors
from torch_impl.model import Net
from torch_impl.predict import log_probabilities, predict_files
from torch_impl.train import train

EXAMPLES = 10  # the first test examples printed, as the seed prints them


def compute(context: Context) -> dict:
    """Train the reference network with `context.recipe`, save it to `context.model_path`, and draw its figures."""
    data, config = context.data, context.recipe
    first_six = figures.image_grid(data.test_images[:6], [f"label {y}" for y in data.test_labels[:6]], 2, 3,
                                   context.figure("first_six_digits.png"))
    with progress.shown() as (on_batch, on_epoch):
        model, history = train(config, as_tensors(data), on_batch, on_epoch)
    checkpoint.save(model, context.model_path, config.trained_with())
    rows = history_rows(history)
    atomic.write_text(context.model_path.with_suffix(".history.json"), json.dumps(rows, indent=2))
    curves = figures.training_curves(rows, context.figure("training_curves.png"), "PyTorch reference")
    log_probs = log_probabilities(model, data.test_images[:EXAMPLES] / 255.0)
    grid = figures.image_grid(data.test_images[:9], [f"prediction {p}" for p in log_probs.argmax(1)[:9]], 3, 3,
                              context.figure("first_nine_predictions.png"))
    return {"seed": config.seed, "epochs": config.epochs, "lr": config.lr, "momentum": config.momentum,
            "batch_size": config.batch_size, "model": str(model), "model_path": str(context.model_path),
            "parameters": sum(p.numel() for p in model.parameters()), "history": rows,
            "examples": {"log_probabilities": log_probs.tolist(), "labels": data.test_labels[:EXAMPLES].tolist()},
            "figures": {"first_six": context.link(first_six), "curves": context.link(curves),
                        "predictions": context.link(grid)},
            "new_inputs": _new_inputs(context, model)}


def _new_inputs(context: Context, model: Net) -> dict | None:
    """The shared digit photos read by the trained network: folder, count, correct, figure; None without them."""
    folder = shared_folder("handwritten_digits")
    if folder is None:
        return None
    paths = sorted(folder.glob("*.png"))
    inputs, log_probs = predict_files(model, paths)
    predictions = log_probs.argmax(1)
    labels = [int(path.name[0]) for path in paths]
    pictures = [cv2.imread(str(path), cv2.IMREAD_GRAYSCALE) for path in paths]
    titles = [f"{label} -> {prediction}" for label, prediction in zip(labels, predictions)]
    figure = figures.pictures_with_inputs(pictures, inputs, titles, context.figure("handwritten_digits.png"))
    correct = sum(int(label == prediction) for label, prediction in zip(labels, predictions))
    return {"folder": str(folder), "photos": len(paths), "correct": correct, "figure": context.link(figure)}


def render(facts: dict) -> str:
    examples = facts["examples"]
    printed = "\n".join(format_example(i, np.array(row, np.float32), label) for i, (row, label)
                        in enumerate(zip(examples["log_probabilities"], examples["labels"])))
    epochs = "\n".join(format_epoch(EpochResult(**row)) for row in facts["history"])
    figure = facts["figures"]
    return "\n\n".join([
        "# Build and train a network to recognise digits",
        f"## A. The MNIST data\n\n60,000 training and 10,000 test images. The first six test digits:\n\n"
        f"![first six]({figure['first_six']})",
        f"## B. Repeatable\n\n`torch.manual_seed({facts['seed']})`, `torch.backends.cudnn.enabled = False`, and a "
        "seeded generator for the order of the training batches: the same seed gives bit-identical weights.",
        f"## C. The network\n\n```\n{facts['model']}\n```\n\n{facts['parameters']:,} parameters. "
        "The forward pass: conv1 -> max-pool 2 + ReLU -> conv2 -> dropout 0.5 -> max-pool 2 + ReLU -> flatten (320) "
        "-> fc1 (50) + ReLU -> fc2 (10) -> log_softmax.",
        f"## D. Training\n\n{facts['epochs']} epochs, SGD lr {facts['lr']}, momentum {facts['momentum']}, batch "
        f"{facts['batch_size']}. Epoch 0 is the untrained network.\n\n```\n{epochs}\n```\n\n"
        f"![curves]({figure['curves']})",
        f"## E. Saved\n\n`torch.save(model.state_dict(), ...)` to `{facts['model_path']}` (written atomically; "
        "read back with `weights_only=True`).",
        f"## F. The first ten test examples\n\n```\n{printed}\n```\n\n![predictions]({figure['predictions']})",
        _render_new_inputs(facts["new_inputs"]),
    ])


def _render_new_inputs(new_inputs: dict | None) -> str:
    if new_inputs is None:
        return "## G. New inputs\n\nNo handwritten digit photos found (`../shared/data/handwritten_digits`)."
    return (f"## G. New inputs\n\nThe photos in `{new_inputs['folder']}`, preprocessed like MNIST (polarity from the "
            "image, background removed, digit scaled into a 20x20 box and centred by its centre of mass in 28x28): "
            f"**{new_inputs['correct']}/{new_inputs['photos']} correct**.\n\n![handwritten]({new_inputs['figure']})")
