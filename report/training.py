"""Report part "Build and train a network to recognise digits" (seed tasks A-G)."""
import json

import cv2

from plots import figures
from recipe import progress
from recipe.history import format_epoch, format_example, history_rows
from recipe.settings import Recipe
from report.context import Context, shared_folder
from runtime import atomic
from torch_impl import checkpoint
from torch_impl.data import as_tensors
from torch_impl.model import Net
from torch_impl.predict import log_probabilities, predict_files
from torch_impl.train import train


def section(context: Context, config: Recipe) -> str:
    """Train the reference network, save it to `context.model_path`, and describe every step."""
    data = context.data
    first_six = figures.image_grid(data.test_images[:6], [f"label {y}" for y in data.test_labels[:6]], 2, 3,
                                   context.figure("first_six_digits.png"))
    with progress.shown() as (on_batch, on_epoch):
        model, history = train(config, as_tensors(data), on_batch, on_epoch)
    checkpoint.save(model, context.model_path, config.trained_with())
    rows = history_rows(history)
    atomic.write_text(context.model_path.with_suffix(".history.json"), json.dumps(rows, indent=2))
    curves = figures.training_curves(rows, context.figure("training_curves.png"), "PyTorch reference")

    log_probs = log_probabilities(model, data.test_images[:10] / 255.0)
    examples = "\n".join(format_example(i, log_probs[i], int(data.test_labels[i])) for i in range(10))
    grid = figures.image_grid(data.test_images[:9], [f"prediction {p}" for p in log_probs.argmax(1)[:9]], 3, 3,
                              context.figure("first_nine_predictions.png"))
    return "\n\n".join([
        "# Build and train a network to recognise digits",
        f"## A. The MNIST data\n\n60,000 training and 10,000 test images. The first six test digits:\n\n"
        f"![first six]({_rel(context, first_six)})",
        f"## B. Repeatable\n\n`torch.manual_seed({config.seed})`, `torch.backends.cudnn.enabled = False`, and a "
        "seeded generator for the order of the training batches: the same seed gives bit-identical weights.",
        f"## C. The network\n\n```\n{model}\n```\n\n{sum(p.numel() for p in model.parameters()):,} parameters. "
        "The forward pass: conv1 -> max-pool 2 + ReLU -> conv2 -> dropout 0.5 -> max-pool 2 + ReLU -> flatten (320) "
        "-> fc1 (50) + ReLU -> fc2 (10) -> log_softmax.",
        f"## D. Training\n\n{config.epochs} epochs, SGD lr {config.lr}, momentum {config.momentum}, batch "
        f"{config.batch_size}. Epoch 0 is the untrained network.\n\n```\n"
        + "\n".join(format_epoch(result) for result in history) + f"\n```\n\n![curves]({_rel(context, curves)})",
        f"## E. Saved\n\n`torch.save(model.state_dict(), ...)` to `{context.model_path}` (written atomically; "
        "read back with `weights_only=True`).",
        f"## F. The first ten test examples\n\n```\n{examples}\n```\n\n![predictions]({_rel(context, grid)})",
        _new_inputs(context, model),
    ])


def _new_inputs(context: Context, model: Net) -> str:
    folder = shared_folder("handwritten_digits")
    if folder is None:
        return "## G. New inputs\n\nNo handwritten digit photos found (`../shared/data/handwritten_digits`)."
    paths = sorted(folder.glob("*.png"))
    inputs, log_probs = predict_files(model, paths)
    predictions = log_probs.argmax(1)
    labels = [int(path.name[0]) for path in paths]
    pictures = [cv2.imread(str(path), cv2.IMREAD_GRAYSCALE) for path in paths]
    titles = [f"{label} -> {prediction}" for label, prediction in zip(labels, predictions)]
    figure = figures.pictures_with_inputs(pictures, inputs, titles, context.figure("handwritten_digits.png"))
    correct = sum(int(label == prediction) for label, prediction in zip(labels, predictions))
    return (f"## G. New inputs\n\nThe photos in `{folder}`, preprocessed like MNIST (polarity from the image, "
            "background removed, digit scaled into a 20x20 box and centred by its centre of mass in 28x28): "
            f"**{correct}/{len(paths)} correct**.\n\n![handwritten]({_rel(context, figure)})")


def _rel(context: Context, path) -> str:
    return str(path.relative_to(context.out))
