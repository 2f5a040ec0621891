"""Report part "Create a digit embedding space" (seed tasks A-E, and F: zero-shot): symbols in the 50-d embedding.

Beyond the seed: any number of symbol classes, a built-in synthetic set when the shared drawings
are absent, and the default method and transfer learning measured beside the seed's nearest
neighbour (report.greek_methods).
"""
import numpy as np

from export import shipped as export_shipped
from frameworks.convert import load_torch_net
from plots.figures import image_grid
from report import evaluation, greek_figures
from report.context import SHARED_DATA, Context, shared_folder
from report.greek_methods import (
    NAMES,
    SEEDS,
    SYNTHETIC_PER_CLASS,
    WRITERS,
    Comparison,
    distinct,
    leave_one_out_counts,
    new_drawing_counts,
    seed_range,
    zero_shot,
)
from report.symbol_csv import write_csv
from runtime.models import GREEK_REFS
from runtime.symbols import knn, references
from runtime.symbols.sets import SymbolSet, read_symbol_folder
from synthetic import greek as synthetic_greek
from torch_impl.embedding import embed_images

MNIST_EXAMPLES = 1000
BUILT_IN = ("alpha", "beta", "gamma")


def symbol_sets() -> tuple[SymbolSet, SymbolSet, str]:
    """(references, new drawings by another hand, where both came from): the shared drawings where
    present, else built-in synthetic letters (the new ones from another seed)."""
    folder, new_folder = shared_folder("greek"), shared_folder("greek_new")
    symbols = read_symbol_folder(folder) if folder else synthetic_greek.symbol_set(BUILT_IN, 9, seed=0)
    every_new = read_symbol_folder(new_folder) if new_folder else synthetic_greek.symbol_set(BUILT_IN, 6, seed=1)
    new = distinct(every_new) if new_folder else every_new
    origin = (f"`{folder}`" if folder else "the built-in synthetic letters (no `../shared/data/greek`)") + (
        f"; new drawings from `{new_folder}`, the {len(new.images)} distinct of its {len(every_new.images)} files "
        f"(the others repeat one byte for byte)" if new_folder else "; new drawings: synthetic, seed 1")
    return symbols, new, origin


def compute(context: Context) -> dict:
    symbols, new, origin = symbol_sets()
    net = load_torch_net(context.model_path)
    comparisons = [Comparison(net, symbols, seed) for seed in SEEDS]  # figures: seed 0's
    new_classes = [symbols.class_names.index(name) for name in new.class_names]
    return {"methods": list(NAMES), "seeds": [SEEDS[0], SEEDS[-1]], "dataset": _dataset(context, symbols, origin),
            "embedding": _embedding(context, comparisons[0]),
            "distances": _distances(context, comparisons, new_classes),
            "new_drawings": _new_drawings(context, comparisons, new, new_classes),
            "zero_shot": _zero_shot() if shared_folder("greek_new") else None}


def _dataset(context: Context, symbols: SymbolSet, origin: str) -> dict:
    written = write_csv(symbols, context.out / "greek")
    return {"drawings": len(symbols.images), "classes": symbols.class_names, "origin": origin,
            "folder": str(written[0].parent), "files": [path.name for path in written],
            "head": "\n".join("\t".join(line.split(",")[:9]) for line in written[0].read_text().splitlines()[:4])}


def _embedding(context: Context, comparison: Comparison) -> dict:
    symbols = comparison.symbols
    mnist = embed_images(comparison.net, context.data.test_images[:MNIST_EXAMPLES] / 255.0)
    grid = image_grid(symbols.images, [symbols.class_names[label] for label in symbols.labels],
                      -(-len(symbols.images) // 9), 9, context.figure("greek_symbols.png"))
    return {"mnist_examples": MNIST_EXAMPLES, "mnist_shape": list(mnist.shape),
            "symbols_shape": list(comparison.vectors[: len(symbols.images)].shape), "figure": context.link(grid)}


def _distances(context: Context, comparisons: list[Comparison], new_classes: list[int]) -> dict:
    comparison = comparisons[0]
    symbols, names = comparison.symbols, comparison.symbols.class_names
    distances = knn.sum_squared_distances(*(comparison.vectors[: len(symbols.images)],) * 2)
    firsts = [int(np.flatnonzero(symbols.labels == c)[0]) for c in range(len(names))]
    heatmap = greek_figures.distance_heatmap(distances, symbols.labels, names, context.figure("greek_distances.png"))
    (everything, total), (some, some_total) = (leave_one_out_counts(comparisons, classes)
                                               for classes in (list(range(len(names))), new_classes))
    matrices = [evaluation.confusion_matrix(symbols.labels, p, len(names))
                for p in comparison.leave_one_out(list(range(len(names))), NAMES[::2])]
    confusion = greek_figures.confusion_matrices(matrices, NAMES[::2], names,
                                                 context.figure("greek_loo_confusion.png"))
    return {"order": [path.name for path in symbols.paths],
            "from_first": [{"class": names[symbols.labels[i]], "distances": distances[i].tolist()} for i in firsts],
            "classes": len(names), "new_classes": [names[c] for c in new_classes],
            "correct": everything.tolist(), "drawings": total, "correct_new_classes": some.tolist(),
            "drawings_new_classes": some_total, "figures": [context.link(heatmap), context.link(confusion)]}


def _new_drawings(context: Context, comparisons: list[Comparison], new: SymbolSet, new_classes: list[int]) -> dict:
    comparison = comparisons[0]
    names = comparison.symbols.class_names
    truth = np.array(new_classes)[new.labels]
    counts, classified = new_drawing_counts(comparisons, new)
    predictions, nearest = classified[0]  # seed 0's
    matrices = [evaluation.confusion_matrix(truth, p, len(names))[np.ix_(new_classes, new_classes)]
                for p in predictions[::2]]
    confusion = greek_figures.confusion_matrices(matrices, NAMES[::2], new.class_names,
                                                 context.figure("greek_new_confusion.png"))
    titles = [[f"{names[comparison.refs.labels[i]]} {d:.3f}" for i, d in zip(row, dist)]
              for row, dist in zip(nearest.indices, nearest.distances)]
    figure = greek_figures.nearest_neighbours(
        new.images, [f"{names[t]} -> {names[p]}" for t, p in zip(truth, predictions[2])],
        comparison.refs.images[nearest.indices], titles, context.figure("greek_neighbours.png"))
    return {"drawings": len(new.images), "classes": new.class_names, "correct": counts.tolist(),
            "variants": references.VARIANTS, "synthetic_per_class": SYNTHETIC_PER_CLASS,
            "figures": [context.link(confusion), context.link(figure)]}


def _zero_shot() -> dict:
    rows = zero_shot(SHARED_DATA)
    return {"rows": [{**row._asdict(), "classes": list(classes)} for row, (_, _, classes) in zip(rows, WRITERS)],
            "references": GREEK_REFS.name, "per_letter": export_shipped.GREEK_PER_LETTER,
            "faces": export_shipped.recorded_notes()["faces"].tolist(), "votes": export_shipped.GREEK_VOTES}


def render(facts: dict) -> str:
    parts = ["# Create a digit embedding space", _render_dataset(facts["dataset"]),
             _render_embedding(facts["embedding"]), _render_distances(facts["distances"], facts),
             _render_new_drawings(facts["new_drawings"], facts)]
    return "\n\n".join(parts + ([_render_zero_shot(facts["zero_shot"])] if facts["zero_shot"] else []))


def _render_dataset(dataset: dict) -> str:
    mapping = ", ".join(f"{name} = {index}" for index, name in enumerate(dataset["classes"]))
    intensities, labels, classes = dataset["files"]
    return (f"## A. A symbol data set\n\n{dataset['drawings']} drawings of {len(dataset['classes'])} classes from "
            f"{dataset['origin']}, each made 28x28 by the preprocessing `predict` uses (ink found and made bright, "
            f"fitted in 20x20, centred by mass). Written to `{dataset['folder']}`: `{intensities}` (a header row and "
            f"784 intensities per image, exact float32), `{labels}` (a header row and each image's class: "
            f"{mapping}) and `{classes}`. The first rows and columns:\n\n```\n{dataset['head']}\n```")


def _render_embedding(embedding: dict) -> str:
    return (f"## B. A truncated model\n\n`torch_impl.embedding.Truncated` runs the trained network up to its "
            f"dense-50 layer (after the ReLU), sharing its weights. On the first {embedding['mnist_examples']} test "
            f"digits:\n\n```\ntorch.Size({embedding['mnist_shape']})\n```\n\n## C. The symbols in the embedding "
            f"space\n\n```\ntorch.Size({embedding['symbols_shape']})\n```\n\n![symbols]({embedding['figure']})")


def _render_distances(distances: dict, facts: dict) -> str:
    printed = "\n\n".join(f"{row['class']} ssd: [{', '.join(str(np.float32(d)) for d in row['distances'])}]"
                           for row in distances["from_first"])
    rows = _method_rows(facts["methods"], (distances["correct"], distances["drawings"]),
                        (distances["correct_new_classes"], distances["drawings_new_classes"]))
    (heatmap, confusion), (first, last) = distances["figures"], facts["seeds"]
    return (f"## D. Distances in the embedding space\n\nSum-squared distance from the first example of each class "
            f"to every image (order: {', '.join(distances['order'])}):\n\n```\n{printed}\n```\n\n"
            f"![distances]({heatmap})\n\nLeave-one-out accuracy, each drawing classified by references without it "
            f"and its copies; the range (and mean) over reference seeds {first}–{last}, which make the copies and "
            f"synthetic letters (confusion matrices: seed 0):\n\n| method | all {distances['classes']} classes | "
            f"{', '.join(distances['new_classes'])} |\n| --- | --- | --- |\n{rows}\n\n![confusion]({confusion})")


def _render_new_drawings(new: dict, facts: dict) -> str:
    rows = _method_rows(facts["methods"], (new["correct"], new["drawings"]))
    confusion, neighbours = new["figures"]
    first, last = facts["seeds"]
    return (f"## E. New drawings\n\n{new['drawings']} distinct drawings of {', '.join(new['classes'])} by another "
            f"hand, classified against the references of those classes. The default method adds "
            f"{new['variants']} seeded distorted copies of each reference drawing (rotated, rescaled per axis, "
            f"sheared, elastically bent, thickened or thinned) and {new['synthetic_per_class']} synthetic letters "
            f"per class, then takes the nearest in the L2-normalised embedding; transfer learning retrains the last "
            f"layer on the same images. The last row is the default method in the runtime's shipped embedding "
            f"(the same network trained with a stronger recipe); `runtime greek fit` makes the same references "
            f"without the synthetic letters. Range (and mean) over reference seeds {first}–{last} "
            f"(confusion matrices and neighbours: seed 0):\n\n| method | correct |\n| --- | --- |\n{rows}\n\n"
            f"![confusion]({confusion})"
            f"\n\nEach new drawing (red; true -> default method's answer) and its five nearest references under the "
            f"default method, with their normalised sum-squared distances:\n\n![neighbours]({neighbours})")


def _method_rows(methods: list[str], *columns: tuple[list, int]) -> str:
    """A table row per method: its counts over the seeds in each column, out of the column's total."""
    columns = [(np.array(counts), total) for counts, total in columns]
    return "\n".join("| " + " | ".join([name, *(seed_range(counts[:, m], total) for counts, total in columns)]) + " |"
                     for m, name in enumerate(methods))


def _render_zero_shot(zero: dict) -> str:
    table = "\n".join(f"| {row['writer']} | {', '.join(row['classes'])} | {_score(row['among_own'], row['drawings'])} "
                      f"| {_score(row['among_all'], row['drawings'])} |" for row in zero["rows"])
    return (f"## F. Zero-shot: the shipped references alone\n\nEvery distinct shared drawing named by the runtime's "
            f"shipped references (`{zero['references']}`: {zero['per_letter']} generated letters of each of the 24, "
            f"drawn from {len(zero['faces'])} faces: {', '.join(zero['faces'])}; nothing fitted on the drawings; "
            f"compared in the directions that separate the generated letters, {zero['votes']} nearest voting), as "
            f"`runtime greek classify` does, with `--classes` set to the writer's three and among all 24. The "
            f"generator's settings were chosen on writer 1's drawings; writers 2 and 3 are held out.\n\n| writer | "
            f"letters | with `--classes` | among all 24 |\n| --- | --- | ---: | ---: |\n{table}")


def _score(correct: int, total: int) -> str:
    return f"{correct}/{total} ({100 * correct / total:.1f}%)"
