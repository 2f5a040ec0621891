"""`mnist-report greek ...`: symbol sets, distances and nearest-neighbour classification in the 50-d embedding."""
from functools import partial
from pathlib import Path
from typing import NamedTuple

import numpy as np
import typer

from frameworks.convert import load_torch_net
from report.greek_methods import SYNTHETIC_PER_CLASS
from report.symbol_csv import write_csv
from runtime.cli.symbols import AS_JSON, print_distances, print_matches
from runtime.symbols import SymbolClassifier, references
from runtime.symbols.sets import read_symbol_folder
from synthetic import greek as synthetic_greek
from torch_impl.embedding import embed_images
from torch_impl.model import Net

greek = typer.Typer(help="Symbols such as Greek letters in the digit network's 50-d embedding space.",
                    no_args_is_help=True)
FOLDER = typer.Argument(..., help="A folder with one sub-folder of images per class (alpha/, beta/, ...).")
MODEL = typer.Option(Path("out/torch/model.pth"), "--model", "-m", help="A saved model: PyTorch .pth or Keras .keras.")
SEED = typer.Option(0, help="Seed of the reference variants and synthetic letters.")


class Embedding(NamedTuple):
    """A trained network's 50-d embedding, as runtime.symbols' classifier takes one (an EmbeddingModel's embed)."""
    net: Net

    def embed(self, images01: np.ndarray) -> np.ndarray:
        return embed_images(self.net, images01)


@greek.command("dataset")
def dataset_command(folder: Path = FOLDER, out: Path = typer.Option(..., help="Folder for the CSV files.")) -> None:
    """Write a symbol folder as the seed's CSV files (intensities, labels) plus classes.csv."""
    for path in write_csv(read_symbol_folder(folder), out):
        typer.echo(f"wrote {path}")


@greek.command("distances")
def distances_command(folder: Path = FOLDER, model: Path = MODEL, as_json: bool = AS_JSON) -> None:
    """Sum-squared distances from the first example of each class to every image, as the seed prints them
    (`runtime greek distances` with a PyTorch or Keras model file)."""
    symbols = read_symbol_folder(folder)
    print_distances(symbols, embed_images(load_torch_net(model), symbols.images), as_json)


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
    images: list[Path] = typer.Argument(..., help="Pictures of symbols, or folders of them."),
    refs: Path = typer.Option(..., help="A reference set (.npz from `fit`) or a labelled folder to fit now."),
    model: Path = MODEL,
    k: int = typer.Option(1, "-k", min=1, help="Nearest references that vote (the default rule uses 1)."),
    seed: int = SEED,
    as_json: bool = AS_JSON,
) -> None:
    """Name the symbol in each picture by its nearest references (L2-normalised embedding), with distances
    (`runtime greek classify` with a PyTorch or Keras model file).

    Unreadable files are reported on stderr, one line each, and the rest still processed; the exit code is then 1.
    """
    reference_set = (_fit(refs, model, references.VARIANTS, SYNTHETIC_PER_CLASS, seed) if refs.is_dir()
                     else references.ReferenceSet.load(refs))
    print_matches(SymbolClassifier(reference_set, Embedding(load_torch_net(model))), images, k, as_json)


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
