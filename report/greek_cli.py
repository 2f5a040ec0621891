"""`mnist-report greek ...`: the symbol sets the report is made of, as files.

Distances, reference sets and classification are `runtime greek`'s: for a trained `.pth` or `.keras` model,
export its embedding first (`mnist-export graphs model.pth graphs/`) and pass `--model graphs/embedding.onnx`.
"""
from pathlib import Path

import typer

from report.symbol_csv import write_csv
from runtime.symbols.sets import read_symbol_folder
from synthetic import greek as synthetic_greek

greek = typer.Typer(help="Symbol sets as files: the built-in synthetic Greek letters, the seed's CSV files. "
                         "Classify them with `runtime greek`.", no_args_is_help=True)


@greek.command("dataset")
def dataset_command(
    folder: Path = typer.Argument(..., help="A folder with one sub-folder of images per class (alpha/, beta/, ...)."),
    out: Path = typer.Option(..., help="Folder for the CSV files."),
) -> None:
    """Write a symbol folder as the seed's CSV files (intensities, labels) plus classes.csv."""
    for path in write_csv(read_symbol_folder(folder), out):
        typer.echo(f"wrote {path}")


@greek.command("synth")
def synth_command(
    letters: str = typer.Option("alpha,beta,gamma", help="Comma-separated lowercase letter names, alpha..omega."),
    count: int = typer.Option(9, min=1, help="Images per letter."),
    seed: int = typer.Option(0),
    out: Path = typer.Option(..., help="Folder to write OUT/<letter>/<letter>_NNN.png into."),
) -> None:
    """Write the built-in synthetic Greek letters (hand-drawn-looking font glyphs) as a class-folder tree
    (for `runtime greek fit --extra`, or as a symbol set of its own)."""
    synthetic_greek.write_folder(out, synthetic_greek.letter_names(letters), count, seed)
    typer.echo(f"wrote {count} images of each of {letters} under {out}")
