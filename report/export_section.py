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


def compute(context: Context) -> dict:
    """Export the run's PyTorch model (and Keras model, when the run made one) and use them with the runtime;
    the graphs' metadata records the training settings each model file holds."""
    sources = {"torch": context.model_path, "keras": context.out / "keras" / "model.keras"}
    exports = {name: export_file(path, context.out / "onnx" / name, context.data)
               for name, path in sources.items() if path.is_file()}
    run_model = exports["torch"]
    return {"graphs": _graphs(exports), "metadata": run_model["full"].metadata,
            "digit_photos": _digit_photos(OnnxModel(run_model["full"].path)),
            "greek": _greek(OnnxModel(run_model["embedding"].path))}


def render(facts: dict) -> str:
    return "\n\n".join([
        "# Deployment: ONNX and a runtime without the frameworks",
        "Both frameworks export two graphs with one input contract: `image`, float32 [N, 1, 28, 28] (N dynamic), "
        "ink-bright pixels in [0, 1] exactly as `runtime.reading` makes them; the MNIST normalisation "
        "(0.1307, 0.3081) is inside the graph, and Keras' channels-last transpose too. `digits.onnx` gives "
        "log-probabilities [N, 10], `embedding.onnx` the dense-50 layer [N, 50]. Each export passes `onnx.checker` "
        "and matches its source framework on all 10,000 test images (max |difference| <= 1e-4, same class) "
        "or nothing is written. `runtime` (numpy + onnxruntime + OpenCV) runs them, here and after "
        "`pip install ./runtime`.",
        _render_graphs(facts["graphs"]),
        "Metadata stored in the PyTorch full graph:\n\n```\n"
        + "\n".join(f"{key}: {value}" for key, value in facts["metadata"].items()) + "\n```",
        _render_digit_photos(facts["digit_photos"]),
        _render_greek(facts["greek"]),
    ])


def _graphs(exports: dict) -> list[dict]:
    graphs = []
    for name, exported in exports.items():
        for item in exported.values():
            model = onnx.load(item.path)
            graphs.append({"source": name, "file": item.path.name, "input": _tensor(model.graph.input[0]),
                           "output": _tensor(model.graph.output[0]), "nodes": len(model.graph.node),
                           "opset": model.opset_import[0].version,
                           "accuracy": float(item.metadata["mnist_test_accuracy"]),
                           "max_abs_diff": item.metadata["parity_max_abs_diff"]})
    return graphs


def _render_graphs(graphs: list[dict]) -> str:
    lines = ["| source | graph | input | output | nodes | opset | test accuracy | max abs diff |",
             "| --- | --- | --- | --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {g['source']} | `{g['file']}` | {g['input']} | {g['output']} | {g['nodes']} | {g['opset']} | "
              f"{100 * g['accuracy']:.2f}% | {g['max_abs_diff']} |" for g in graphs]
    return "\n".join(lines)


def _tensor(value) -> str:
    dims = [d.dim_param or str(d.dim_value) for d in value.type.tensor_type.shape.dim]
    return f"{value.name} [{', '.join(dims)}]"


def _digit_photos(run_model: OnnxModel) -> dict | None:
    """Each shared photo read by this run's model and the shipped one; None without the photos."""
    folder = shared_folder("handwritten_digits")
    if folder is None:
        return None
    paths = sorted(folder.glob("*.png"))
    images = np.stack([read(path).image for path in paths])
    labels = np.array([int(path.name[0]) for path in paths])
    models = [run_model, OnnxModel(DIGITS)]
    scores = [np.exp(model.run(images)) for model in models]
    rotated, turns = rotated_photos.correct_when_rotated(paths, models)
    return {"folder": str(folder), "photos": [path.name for path in paths], "labels": labels.tolist(),
            "probabilities": {name: score.tolist() for name, score in zip(("run", "shipped"), scores)},
            "rotated_correct": list(rotated), "turns": turns, "protocol": rotated_photos.PROTOCOL}


def _render_digit_photos(photos: dict | None) -> str:
    if photos is None:
        return "## Digit photos\n\nNo photos found (`../shared/data/handwritten_digits`)."
    labels = np.array(photos["labels"])
    scores = [np.array(photos["probabilities"][name], np.float32) for name in ("run", "shipped")]
    rows = ["| photo | label | this run's model | shipped model |", "| --- | ---: | ---: | ---: |"]
    for name, label, mine, shipped in zip(photos["photos"], labels, *scores):
        rows.append(f"| {name} | {label} | {mine.argmax()} (p={mine.max():.2f}) | "
                    f"{shipped.argmax()} (p={shipped.max():.2f}) |")
    correct = [int((score.argmax(1) == labels).sum()) for score in scores]
    belief = [float(score[np.arange(len(labels)), labels].mean()) for score in scores]
    count, (rotated_run, rotated_shipped), turns = len(labels), photos["rotated_correct"], photos["turns"]
    return (f"## Digit photos\n\n`runtime predict` on the photos in `{photos['folder']}`: this run's model "
            f"**{correct[0]}/{count}** (mean probability of the true digit {belief[0]:.3f}), the shipped "
            f"model (stronger recipe) **{correct[1]}/{count}** ({belief[1]:.3f}).\n\n" + "\n".join(rows)
            + f"\n\nTurned ({photos['protocol']}): this run's model **{rotated_run}/{turns}**, the shipped "
            f"model **{rotated_shipped}/{turns}**.")


def _greek(run_embedding: OnnxModel) -> dict | None:
    """The new writer's letters against the seed letters, in this run's embedding and the shipped one."""
    known, new = shared_folder("greek"), shared_folder("greek_new")
    if known is None or new is None:
        return None
    every_query = read_symbol_folder(new)
    queries = distinct(every_query)
    seed_letters = select_classes(read_symbol_folder(known), queries.class_names)
    shipped = OnnxModel(EMBEDDING)
    return {"folder": str(new), "queries": len(queries.labels), "files": len(every_query.labels),
            "variants": references.VARIANTS,
            "scores": [_score(f"this run's embedding, references: the {len(seed_letters.images)} seed letters",
                              run_embedding, references.fit(seed_letters, run_embedding.run), queries),
                       _score("shipped embedding, references: the same letters", shipped,
                              references.fit(seed_letters, shipped.run), queries)]}


def _render_greek(greek: dict | None) -> str:
    if greek is None:
        return "## Greek letters\n\nNo Greek letter folders found (`../shared/data/greek`, `greek_new`)."
    lines = [f"- {score['title']}: **{score['correct']}/{score['total']}** correct; predicted "
             f"{json.dumps(score['predicted'])}" for score in greek["scores"]]
    return (f"## Greek letters\n\n`runtime greek classify` on the {greek['queries']} distinct new drawings in "
            f"`{greek['folder']}` (of its {greek['files']} files, the others repeat one byte for byte), with "
            f"references fitted as `runtime greek fit` does: each drawing and {greek['variants']} distorted copies; "
            f"nearest neighbour in the L2-normalised embedding. The shipped generated letters alone, with nothing "
            f"fitted: part F of the embedding section.\n\n" + "\n".join(lines))


def _score(title: str, embedding: OnnxModel, refs: ReferenceSet, queries: SymbolSet) -> dict:
    predicted = [refs.class_names[i] for i in references.classify(refs, embedding.run(queries.images)).labels]
    truth = [queries.class_names[i] for i in queries.labels]
    return {"title": title, "correct": sum(p == t for p, t in zip(predicted, truth)), "total": len(truth),
            "predicted": {name: predicted.count(name) for name in sorted(set(predicted))}}
