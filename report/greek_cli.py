"""`mnist-report greek ...`: symbol sets, distances and nearest-neighbour classification in the 50-d embedding."""
from functools import partial
from pathlib import Path

import numpy as np
import typer

from synthetic import greek as synthetic_greek
from report.greek_methods import SYNTHETIC_PER_CLASS
from report.models import load_torch_net
from runtime import knn, references
from runtime.preprocess import preprocess_file
from runtime.symbols import read_symbol_folder, write_csv
from torch_impl.embedding import embed_images

greek = typer.Typer(help="Symbols such as Greek letters in the digit network's 50-d embedding space.",
                    no_args_is_help=True)
FOLDER = typer.Argument(..., help="A folder with one sub-folder of images per class (alpha/, beta/, ...).")
MODEL = typer.Option(Path("out/torch/model.pth"), "--model", "-m", help="A saved model: PyTorch .pth or Keras .keras.")
SEED = typer.Option(0, help="Seed of the reference variants and synthetic letters.")


@greek.command("dataset")
def dataset_command(folder: Path = FOLDER, out: Path = typer.Option(..., help="Folder for the CSV files.")) -> None:
    """Write a symbol folder as the seed's CSV files (intensities, labels) plus classes.csv."""
    for path in write_csv(read_symbol_folder(folder), out):
        typer.echo(f"wrote {path}")


@greek.command("distances")
def distances_command(folder: Path = FOLDER, model: Path = MODEL) -> None:
    """Sum-squared distances from the first example of each class to every image, as the seed prints them."""
    symbols = read_symbol_folder(folder)
    vectors = embed_images(load_torch_net(model), symbols.images)
    distances = knn.sum_squared_distances(vectors, vectors)
    typer.echo("order: " + ", ".join(path.name for path in symbols.paths))
    for index, name in enumerate(symbols.class_names):
        first = int(np.flatnonzero(symbols.labels == index)[0])
        typer.echo(f"{name} ssd: [{', '.join(str(np.float32(d)) for d in distances[first])}]")


@greek.command("fit")
def fit_command(
    folder: Path = FOLDER,
    out: Path = typer.Option(..., "--out", "-o", help="Reference set to write (.npz)."),
    model: Path = MODEL,
    variants: int = typer.Option(references.VARIANTS, min=0, help="Distorted copies of each drawing."),
    synthetic: int = typer.Option(SYNTHETIC_PER_CLASS, min=0, help="Synthetic letters per Greek-letter class."),
    seed: int = SEED,
) -> None:
    """Embed a labelled folder (plus variants and synthetic letters) into a reference set for `classify`."""
    reference_set = _fit(folder, model, variants, synthetic, seed)
    reference_set.save(out)
    typer.echo(f"wrote {out}: {len(reference_set.vectors)} references of {', '.join(reference_set.class_names)}")


@greek.command("classify")
def classify_command(
    images: list[Path] = typer.Argument(..., help="Pictures of symbols."),
    refs: Path = typer.Option(..., help="A reference set (.npz from `fit`) or a labelled folder to fit now."),
    model: Path = MODEL,
    k: int = typer.Option(1, "-k", min=1, help="Nearest references that vote (the default rule uses 1)."),
    seed: int = SEED,
) -> None:
    """Name the symbol in each picture by its nearest references (L2-normalised embedding), with distances."""
    net = load_torch_net(model)
    reference_set = (_fit(refs, model, references.VARIANTS, SYNTHETIC_PER_CLASS, seed) if refs.is_dir()
                     else references.ReferenceSet.load(refs))
    vectors = embed_images(net, np.stack([preprocess_file(path) for path in images]))
    vote = references.classify(reference_set, vectors, min(k, len(reference_set.vectors)))
    names = reference_set.class_names
    for path, label, indices, distances in zip(images, vote.labels, vote.indices, vote.distances):
        near = ", ".join(f"{names[reference_set.labels[i]]} {d:.4f}" for i, d in zip(indices, distances))
        typer.echo(f"{path}: {names[label]} (nearest: {near})")


@greek.command("synth")
def synth_command(
    letters: str = typer.Option("alpha,beta,gamma", help="Comma-separated lowercase letter names, alpha..omega."),
    count: int = typer.Option(9, min=1, help="Images per letter."),
    seed: int = typer.Option(0),
    out: Path = typer.Option(..., help="Folder to write OUT/<letter>/<letter>_NNN.png into."),
) -> None:
    """Write the built-in synthetic Greek letters (hand-drawn-looking font glyphs) as a class-folder tree."""
    synthetic_greek.write_folder(out, synthetic_greek.letter_names(letters), count, seed)
    typer.echo(f"wrote {count} images of each of {letters} under {out}")


def _fit(folder: Path, model: Path, variants: int, synthetic: int, seed: int) -> references.ReferenceSet:
    symbols = read_symbol_folder(folder)
    extra = synthetic_greek.for_classes(symbols.class_names, synthetic, seed) if synthetic else None
    return references.fit(symbols, partial(embed_images, load_torch_net(model)), variants, seed, extra)
