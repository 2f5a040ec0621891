"""Report part "Create a digit embedding space" (seed tasks A-E): symbols placed in the network's 50-d embedding.

Beyond the seed: any number of symbol classes, a built-in synthetic set when the shared drawings
are absent, and the default method and transfer learning measured beside the seed's nearest
neighbour (report.greek_methods).
"""
import numpy as np
import torch

from report import greek_figures
from synthetic import greek as synthetic_greek
from report.context import Context, shared_folder
from plots.figures import image_grid
from report.greek_methods import NAMES, SYNTHETIC_PER_CLASS, Comparison
from frameworks.convert import load_torch_net
from runtime import knn, references
from runtime.symbols import SymbolSet, read_symbol_folder, write_csv
from torch_impl.embedding import embed_images

MNIST_EXAMPLES = 1000
BUILT_IN = ("alpha", "beta", "gamma")


def symbol_sets() -> tuple[SymbolSet, SymbolSet, str]:
    """(references, new drawings by another hand, where both came from): the shared drawings where
    present, else built-in synthetic letters (the new ones from another seed)."""
    folder, new_folder = shared_folder("greek"), shared_folder("greek_new")
    symbols = read_symbol_folder(folder) if folder else synthetic_greek.symbol_set(BUILT_IN, 9, seed=0)
    new = read_symbol_folder(new_folder) if new_folder else synthetic_greek.symbol_set(BUILT_IN, 6, seed=1)
    origin = (f"`{folder}`" if folder else "the built-in synthetic letters (no `../shared/data/greek`)") + (
        f"; new drawings from `{new_folder}`" if new_folder else "; new drawings: synthetic, seed 1")
    return symbols, new, origin


def section(context: Context) -> str:
    symbols, new, origin = symbol_sets()
    comparison = Comparison(load_torch_net(context.model_path), symbols)
    new_classes = [symbols.class_names.index(name) for name in new.class_names]
    return "\n\n".join(["# Create a digit embedding space", _dataset(context, symbols, origin),
                        _embedding(context, comparison), _distances(context, comparison, new_classes),
                        _new_drawings(context, comparison, new, new_classes)])


def _dataset(context: Context, symbols: SymbolSet, origin: str) -> str:
    written = write_csv(symbols, context.out / "greek")
    head = "\n".join("\t".join(line.split(",")[:9]) for line in written[0].read_text().splitlines()[:4])
    mapping = ", ".join(f"{name} = {index}" for index, name in enumerate(symbols.class_names))
    return (f"## A. A symbol data set\n\n{len(symbols.images)} drawings of {len(symbols.class_names)} classes from "
            f"{origin}, each made 28x28 by the preprocessing `predict` uses (ink found and made bright, fitted in "
            f"20x20, centred by mass). Written to `{written[0].parent}`: `{written[0].name}` (a header row and 784 "
            f"intensities per image, exact float32), `{written[1].name}` (a header row and each image's class: "
            f"{mapping}) and `{written[2].name}`. The first rows and columns:\n\n```\n{head}\n```")


def _embedding(context: Context, comparison: Comparison) -> str:
    symbols = comparison.symbols
    mnist = embed_images(comparison.net, context.data.test_images[:MNIST_EXAMPLES] / 255.0)
    grid = image_grid(symbols.images, [symbols.class_names[label] for label in symbols.labels],
                      -(-len(symbols.images) // 9), 9, context.figure("greek_symbols.png"))
    return (f"## B. A truncated model\n\n`torch_impl.embedding.Truncated` runs the trained network up to its "
            f"dense-50 layer (after the ReLU), sharing its weights. On the first {MNIST_EXAMPLES} test digits:\n\n"
            f"```\n{torch.Size(mnist.shape)}\n```\n\n## C. The symbols in the embedding space\n\n```\n"
            f"{torch.Size(comparison.vectors[: len(symbols.images)].shape)}\n```\n\n"
            f"![symbols]({_link(context, grid)})")


def _distances(context: Context, comparison: Comparison, new_classes: list[int]) -> str:
    symbols, names = comparison.symbols, comparison.symbols.class_names
    distances = knn.sum_squared_distances(*(comparison.vectors[: len(symbols.images)],) * 2)
    firsts = [int(np.flatnonzero(symbols.labels == c)[0]) for c in range(len(names))]
    printed = "\n\n".join(f"{names[symbols.labels[i]]} ssd: [{', '.join(str(np.float32(d)) for d in distances[i])}]"
                          for i in firsts)
    heatmap = greek_figures.distance_heatmap(distances, symbols.labels, names, context.figure("greek_distances.png"))
    everything = comparison.leave_one_out(list(range(len(names))))
    some = comparison.leave_one_out(new_classes)
    truth = symbols.labels[np.isin(symbols.labels, new_classes)]
    rows = "\n".join(f"| {name} | {_score(a, symbols.labels)} | {_score(b, truth)} |"
                     for name, a, b in zip(NAMES, everything, some))
    matrices = [knn.confusion_matrix(symbols.labels, p, len(names)) for p in everything[::2]]
    confusion = greek_figures.confusion_matrices(matrices, NAMES[::2], names,
                                                 context.figure("greek_loo_confusion.png"))
    return (f"## D. Distances in the embedding space\n\nSum-squared distance from the first example of each class "
            f"to every image (order: {', '.join(p.name for p in symbols.paths)}):\n\n```\n{printed}\n```\n\n"
            f"![distances]({_link(context, heatmap)})\n\nLeave-one-out accuracy, each drawing classified by "
            f"references without it and its copies:\n\n| method | all {len(names)} classes | "
            f"{', '.join(names[c] for c in new_classes)} |\n| --- | --- | --- |\n{rows}\n\n"
            f"![confusion]({_link(context, confusion)})")


def _new_drawings(context: Context, comparison: Comparison, new: SymbolSet, new_classes: list[int]) -> str:
    names = comparison.symbols.class_names
    truth = np.array(new_classes)[new.labels]
    predictions, nearest = comparison.classify(new_classes, new.images)
    rows = "\n".join(f"| {name} | {_score(p, truth)} |" for name, p in zip(NAMES, predictions))
    matrices = [knn.confusion_matrix(truth, p, len(names))[np.ix_(new_classes, new_classes)] for p in predictions[::2]]
    confusion = greek_figures.confusion_matrices(matrices, NAMES[::2], new.class_names,
                                                 context.figure("greek_new_confusion.png"))
    titles = [[f"{names[comparison.refs.labels[i]]} {d:.3f}" for i, d in zip(row, dist)]
              for row, dist in zip(nearest.indices, nearest.distances)]
    figure = greek_figures.nearest_neighbours(
        new.images, [f"{names[t]} -> {names[p]}" for t, p in zip(truth, predictions[2])],
        comparison.refs.images[nearest.indices], titles, context.figure("greek_neighbours.png"))
    distinct = len(np.unique(new.images.reshape(len(new.images), -1), axis=0))
    return (f"## E. New drawings\n\n{len(new.images)} drawings ({distinct} distinct) of {', '.join(new.class_names)} "
            f"by another hand, classified against the references of those classes. The default method adds {references.VARIANTS} "
            f"seeded distorted copies of each reference drawing (rotated, rescaled per axis, sheared, elastically "
            f"bent, thickened or thinned) and {SYNTHETIC_PER_CLASS} synthetic letters per class, then takes the "
            f"nearest in the L2-normalised embedding; transfer learning retrains the last layer on the same "
            f"images. The last row is the default method in the runtime's shipped embedding (the same network "
            f"trained with a stronger recipe), which is what `runtime greek` does.\n\n| method | correct |\n| --- | --- |\n{rows}\n\n![confusion]({_link(context, confusion)})"
            f"\n\nEach new drawing (red; true -> default method's answer) and its five nearest references under the "
            f"default method, with their normalised sum-squared distances:\n\n![neighbours]({_link(context, figure)})")


def _score(predicted: np.ndarray, truth: np.ndarray) -> str:
    correct = int((predicted == truth).sum())
    return f"{correct}/{len(truth)} ({100 * correct / len(truth):.1f}%)"


def _link(context: Context, path) -> str:
    return str(path.relative_to(context.out))
