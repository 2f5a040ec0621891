"""Report part "Deployment": ONNX export of the run's networks and the framework-free runtime at work."""
import json
from pathlib import Path

import numpy as np
import onnx

from export import export_file
from export.metadata import training_settings
from report.context import Context, shared_folder
from runtime.knn import knn_classify
from runtime.onnx_model import DIGITS, EMBEDDING, GREEK_REFS, OnnxModel
from runtime.preprocess import preprocess_file
from runtime.references import ReferenceSet
from runtime.symbols import read_symbol_folder


def section(context: Context, config=None) -> str:
    """Export the run's PyTorch model (and Keras model, when the run made one) and use them with the runtime.

    `config` is the TrainConfig of the run's reference model, recorded in the graphs' metadata.
    """
    sources = {"torch": context.model_path, "keras": context.out / "keras" / "model.keras"}
    training = training_settings(config) if config is not None else None
    exports = {name: export_file(path, context.out / "onnx" / name, context.data, training)
               for name, path in sources.items() if path.is_file()}
    run_model = exports["torch"]
    return "\n\n".join([
        "# Deployment: ONNX and a runtime without the frameworks",
        "Both frameworks export two graphs with one input contract: `image`, float32 [N, 1, 28, 28] (N dynamic), "
        "ink-bright pixels in [0, 1] exactly as `runtime.preprocess` makes them; the MNIST normalisation "
        "(0.1307, 0.3081) is inside the graph, and Keras' channels-last transpose too. `digits.onnx` gives "
        "log-probabilities [N, 10], `embedding.onnx` the dense-50 layer [N, 50]. Each export passes `onnx.checker` "
        "and matches its source framework on all 10,000 test images (max |difference| <= 1e-4, same class) "
        "or nothing is written. `runtime` (numpy + onnxruntime + OpenCV) runs them, here and after `pip install .`.",
        _graph_table(exports),
        "Metadata stored in the PyTorch full graph:\n\n```\n"
        + "\n".join(f"{key}: {value}" for key, value in run_model["full"].metadata.items()) + "\n```",
        _digit_photos(OnnxModel(run_model["full"].path)),
        _greek(OnnxModel(run_model["embedding"].path)),
    ])


def _graph_table(exports: dict) -> str:
    lines = ["| source | graph | input | output | nodes | opset | test accuracy | max abs diff |",
             "| --- | --- | --- | --- | ---: | ---: | ---: | ---: |"]
    for name, graphs in exports.items():
        for kind, item in graphs.items():
            model = onnx.load(item.path)
            lines.append(f"| {name} | `{item.path.name}` | {_tensor(model.graph.input[0])} | "
                         f"{_tensor(model.graph.output[0])} | {len(model.graph.node)} | "
                         f"{model.opset_import[0].version} | {100 * float(item.metadata['mnist_test_accuracy']):.2f}% "
                         f"| {item.metadata['parity_max_abs_diff']} |")
    return "\n".join(lines)


def _tensor(value) -> str:
    dims = [d.dim_param or str(d.dim_value) for d in value.type.tensor_type.shape.dim]
    return f"{value.name} [{', '.join(dims)}]"


def _digit_photos(run_model: OnnxModel) -> str:
    folder = shared_folder("handwritten_digits")
    if folder is None:
        return "## Digit photos\n\nNo photos found (`../shared/data/handwritten_digits`)."
    paths = sorted(folder.glob("*.png"))
    images = np.stack([preprocess_file(path) for path in paths])
    labels = np.array([int(path.name[0]) for path in paths])
    rows = ["| photo | label | this run's model | shipped model |", "| --- | ---: | ---: | ---: |"]
    scores = [np.exp(model.run(images)) for model in (run_model, OnnxModel(DIGITS))]
    for path, label, mine, shipped in zip(paths, labels, *scores):
        rows.append(f"| {path.name} | {label} | {mine.argmax()} (p={mine.max():.2f}) | "
                    f"{shipped.argmax()} (p={shipped.max():.2f}) |")
    correct = [int((score.argmax(1) == labels).sum()) for score in scores]
    belief = [float(score[np.arange(len(labels)), labels].mean()) for score in scores]
    return (f"## Digit photos\n\n`runtime predict` on the photos in `{folder}`: this run's model "
            f"**{correct[0]}/{len(paths)}** (mean probability of the true digit {belief[0]:.3f}), the shipped "
            f"model (stronger recipe) **{correct[1]}/{len(paths)}** ({belief[1]:.3f}).\n\n" + "\n".join(rows))


def _greek(run_embedding: OnnxModel) -> str:
    known, new = shared_folder("greek"), shared_folder("greek_new")
    if known is None or new is None:
        return "## Greek letters\n\nNo Greek letter folders found (`../shared/data/greek`, `greek_new`)."
    queries = read_symbol_folder(new)
    seed_letters = _fit(known, ("alpha", "beta", "gamma"), run_embedding)
    lines = [_score("this run's embedding, references: the 27 seed letters (alpha, beta, gamma)",
                    run_embedding, seed_letters, queries),
             _score("shipped embedding, references: the 27 seed letters", OnnxModel(EMBEDDING),
                    _fit(known, ("alpha", "beta", "gamma"), OnnxModel(EMBEDDING)), queries),
             _score("shipped embedding and its default references (24 generated letters)", OnnxModel(EMBEDDING),
                    ReferenceSet.load(GREEK_REFS), queries)]
    return (f"## Greek letters\n\n`runtime greek classify` (1-nearest neighbour, sum-squared distance) on the "
            f"{len(queries.labels)} new drawings in `{new}`:\n\n" + "\n".join(lines))


def _fit(folder: Path, letters, embedding: OnnxModel) -> ReferenceSet:
    symbols = read_symbol_folder(folder)
    keep = np.isin(np.array(symbols.class_names)[symbols.labels], letters)
    names = [name for name in symbols.class_names if name in letters]
    labels = [names.index(symbols.class_names[label]) for label in symbols.labels[keep]]
    return ReferenceSet(embedding.run(symbols.images[keep]), np.array(labels), names)


def _score(title: str, embedding: OnnxModel, refs: ReferenceSet, queries) -> str:
    vote = knn_classify(embedding.run(queries.images), refs.vectors, refs.labels)
    predicted = [refs.class_names[i] for i in vote.labels]
    truth = [queries.class_names[i] for i in queries.labels]
    counts = {name: predicted.count(name) for name in sorted(set(predicted))}
    correct = sum(p == t for p, t in zip(predicted, truth))
    return f"- {title}: **{correct}/{len(truth)}** correct; predicted {json.dumps(counts)}"
