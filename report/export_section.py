"""Report part "Deployment": ONNX export of the run's networks and the framework-free runtime at work."""
import json

import numpy as np
import onnx

from export.graphs import export_file
from report import rotated_photos
from report.context import Context, shared_folder
from report.greek_methods import distinct
from runtime.models import DIGITS, EMBEDDING, OnnxModel
from runtime.reading import read
from runtime.symbols import references
from runtime.symbols.references import ReferenceSet
from runtime.symbols.sets import SymbolSet, read_symbol_folder, select_classes


def section(context: Context) -> str:
    """Export the run's PyTorch model (and Keras model, when the run made one) and use them with the runtime;
    the graphs' metadata records the training settings each model file holds."""
    sources = {"torch": context.model_path, "keras": context.out / "keras" / "model.keras"}
    exports = {name: export_file(path, context.out / "onnx" / name, context.data)
               for name, path in sources.items() if path.is_file()}
    run_model = exports["torch"]
    return "\n\n".join([
        "# Deployment: ONNX and a runtime without the frameworks",
        "Both frameworks export two graphs with one input contract: `image`, float32 [N, 1, 28, 28] (N dynamic), "
        "ink-bright pixels in [0, 1] exactly as `runtime.reading` makes them; the MNIST normalisation "
        "(0.1307, 0.3081) is inside the graph, and Keras' channels-last transpose too. `digits.onnx` gives "
        "log-probabilities [N, 10], `embedding.onnx` the dense-50 layer [N, 50]. Each export passes `onnx.checker` "
        "and matches its source framework on all 10,000 test images (max |difference| <= 1e-4, same class) "
        "or nothing is written. `runtime` (numpy + onnxruntime + OpenCV) runs them, here and after `pip install ./runtime`.",
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
    images = np.stack([read(path).image for path in paths])
    labels = np.array([int(path.name[0]) for path in paths])
    rows = ["| photo | label | this run's model | shipped model |", "| --- | ---: | ---: | ---: |"]
    models = [run_model, OnnxModel(DIGITS)]
    scores = [np.exp(model.run(images)) for model in models]
    for path, label, mine, shipped in zip(paths, labels, *scores):
        rows.append(f"| {path.name} | {label} | {mine.argmax()} (p={mine.max():.2f}) | "
                    f"{shipped.argmax()} (p={shipped.max():.2f}) |")
    correct = [int((score.argmax(1) == labels).sum()) for score in scores]
    belief = [float(score[np.arange(len(labels)), labels].mean()) for score in scores]
    rotated, turns = rotated_photos.correct_when_rotated(paths, models)
    return (f"## Digit photos\n\n`runtime predict` on the photos in `{folder}`: this run's model "
            f"**{correct[0]}/{len(paths)}** (mean probability of the true digit {belief[0]:.3f}), the shipped "
            f"model (stronger recipe) **{correct[1]}/{len(paths)}** ({belief[1]:.3f}).\n\n" + "\n".join(rows)
            + f"\n\nTurned ({rotated_photos.PROTOCOL}): this run's model **{rotated[0]}/{turns}**, the shipped "
            f"model **{rotated[1]}/{turns}**.")


def _greek(run_embedding: OnnxModel) -> str:
    known, new = shared_folder("greek"), shared_folder("greek_new")
    if known is None or new is None:
        return "## Greek letters\n\nNo Greek letter folders found (`../shared/data/greek`, `greek_new`)."
    every_query = read_symbol_folder(new)
    queries = distinct(every_query)
    seed_letters = select_classes(read_symbol_folder(known), queries.class_names)
    shipped = OnnxModel(EMBEDDING)
    lines = [_score(f"this run's embedding, references: the {len(seed_letters.images)} seed letters",
                    run_embedding, references.fit(seed_letters, run_embedding.run), queries),
             _score("shipped embedding, references: the same letters", shipped,
                    references.fit(seed_letters, shipped.run), queries)]
    return (f"## Greek letters\n\n`runtime greek classify` on the {len(queries.labels)} distinct new drawings in "
            f"`{new}` (of its {len(every_query.labels)} files, the others repeat one byte for byte), with references "
            f"fitted as `runtime greek fit` does: each drawing and {references.VARIANTS} distorted copies; nearest "
            f"neighbour in the L2-normalised embedding. The shipped generated letters alone, with nothing fitted: "
            f"part F of the embedding section.\n\n" + "\n".join(lines))


def _score(title: str, embedding: OnnxModel, refs: ReferenceSet, queries: SymbolSet) -> str:
    predicted = [refs.class_names[i] for i in references.classify(refs, embedding.run(queries.images)).labels]
    truth = [queries.class_names[i] for i in queries.labels]
    counts = {name: predicted.count(name) for name in sorted(set(predicted))}
    correct = sum(p == t for p, t in zip(predicted, truth))
    return f"- {title}: **{correct}/{len(truth)}** correct; predicted {json.dumps(counts)}"
