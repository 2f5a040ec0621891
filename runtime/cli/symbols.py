"""`runtime greek`: symbols such as Greek letters classified by their nearest neighbours in the
digit network's 50-d embedding space (the seed report's task, plus k-NN and reusable reference sets)."""
import json
from pathlib import Path

import numpy as np
import typer

from runtime.errors import report
from runtime.models import EMBEDDING, GREEK_REFS, EmbeddingModel
from runtime.reading.files import read_files
from runtime.symbols import SymbolClassifier, SymbolSet, class_list, read_symbol_folder
from runtime.symbols.knn import sum_squared_distances
from runtime.symbols.references import VARIANTS

greek = typer.Typer(help="Classify symbols (e.g. Greek letters) by nearest neighbours in the 50-d embedding.",
                    no_args_is_help=True, rich_markup_mode="markdown")
FOLDER = typer.Argument(..., help="A folder with one sub-folder of images per class (alpha/, beta/, ...).")
MODEL = typer.Option(EMBEDDING, help="An embedding ONNX file.", show_default="the shipped embedding.onnx")
AS_JSON = typer.Option(False, "--json", help="Print the results as JSON.")


@greek.command("fit")
def fit_command(
    folder: Path = FOLDER,
    out: Path = typer.Option(..., "-o", "--out", help="Reference set to write (.npz)."),
    variants: int = typer.Option(VARIANTS, min=0,
                                 help="Seeded distorted copies of each drawing (other slants, sizes, strokes)."),
    seed: int = typer.Option(0, help="Seed of the distorted copies."),
    extra: Path = typer.Option(None, help="A second labelled folder, taken as it is (no distorted copies), its "
                                          "classes matched by name: e.g. `mnist-report greek synth`'s letters."),
    model: Path = MODEL,
) -> None:
    """Embed a labelled folder of symbols, and distorted copies of each, into a reference set for
    `greek classify --refs`. The copies stand in for other hands: they make a few drawings per class
    cover how other people write the same symbol."""
    refs = SymbolClassifier.fit(folder, EmbeddingModel(model), variants, seed, extra).references
    refs.save(out)
    typer.echo(f"wrote {out}: {len(refs.vectors)} references of {', '.join(refs.class_names)}")


@greek.command("classify")
def classify_command(
    images: list[Path] = typer.Argument(..., help="Image files or folders of images of symbols."),
    refs: Path = typer.Option(GREEK_REFS, help="Reference set from `greek fit`.",
                              show_default="the shipped generated letters alpha..omega"),
    classes: str = typer.Option(None, help="Only these classes of the references, comma-separated "
                                           "(e.g. alpha,beta,gamma)."),
    k: int | None = typer.Option(None, "-k", min=1, help="Number of nearest neighbours that vote.",
                                 show_default="the reference set's own (5 for the shipped letters)"),
    model: Path = MODEL,
    as_json: bool = AS_JSON,
) -> None:
    """Name the symbol in each picture by its k nearest references, with their distances.

    Distances are sums of squared differences of the L2-normalised 50-d embeddings, or of their projections
    where the references carry one, as the shipped letters do (0 = same direction, 4 = opposite). Unreadable
    files are reported on stderr, one line each, and the rest still processed; the exit code is then 1.
    """
    classifier = SymbolClassifier(refs, EmbeddingModel(model))
    if classes:
        classifier = classifier.only(class_list(classes))
    _print_matches(classifier, images, k, as_json)


def _print_matches(classifier: SymbolClassifier, images: list[Path], k: int | None, as_json: bool) -> None:
    """Classify the pictures (files, or folders of them) and print each match; a picture that cannot be read
    is one error line and the rest are still classified, then the exit code is 1."""
    readings, paths, failed = read_files(images)
    report(failed)
    matches = classifier.classify([reading.image for reading in readings], k)
    results = [{"path": str(path), **match.to_json()} for path, match in zip(paths, matches)]
    if as_json:
        typer.echo(json.dumps(results, indent=2))
    for result in [] if as_json else results:
        near = ", ".join(f"{n['label']} {n['distance']:.3f}" for n in result["neighbours"])
        typer.echo(f"{result['path']}: {result['label']} (nearest: {near})")
    if failed:
        raise typer.Exit(1)


@greek.command("distances")
def distances_command(folder: Path = FOLDER, model: Path = MODEL, as_json: bool = AS_JSON) -> None:
    """Print the seed report's sum-squared distance table for a labelled folder.

    One row per class: the distances from its first example to every image (classes, then files, in
    name order). --json gives the whole N x N matrix.
    """
    symbols = read_symbol_folder(folder)
    _print_distances(symbols, EmbeddingModel(model).embed(symbols.images), as_json)


def _print_distances(symbols: SymbolSet, vectors: np.ndarray, as_json: bool) -> None:
    """The distance table of `symbols` from their embeddings `vectors` [N, 50]."""
    distances = sum_squared_distances(vectors, vectors)
    if as_json:
        typer.echo(json.dumps({"paths": [str(p) for p in symbols.paths],
                               "labels": [symbols.class_names[i] for i in symbols.labels],
                               "distances": distances.tolist()}, indent=2))
        return
    typer.echo("order: " + ", ".join(path.name for path in symbols.paths))
    for index, name in enumerate(symbols.class_names):
        first = int(np.flatnonzero(symbols.labels == index)[0])
        typer.echo(f"{name} ssd: [{', '.join(f'{d:.7g}' for d in distances[first])}]")
