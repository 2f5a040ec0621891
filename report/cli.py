"""Command line of the report: the main job and the analysis commands."""
from pathlib import Path

import typer

from frameworks.convert import load_torch_net
from recipe.settings import SEED, Recipe
from report import examine, job
from report.context import Context
from report.greek_cli import greek
from runtime.data import mnist
from runtime.errors import run_cli

app = typer.Typer(help="Train, examine and compare the MNIST networks; write the report.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
@app.command("run")
def run_command(
    out: Path = typer.Option(Path("out"), help="Report folder (report.md, figures/, models)."),
    epochs: int = typer.Option(SEED.epochs, min=1),
    seed: int = typer.Option(SEED.seed),
    data_dir: Path = typer.Option(SEED.data_dir, help="Folder of the MNIST IDX files (fetched if missing)."),
) -> None:
    """The main job on built-in defaults: fetch MNIST, train, evaluate, examine, export; write out/report.md
    (and what it found, as data, to out/facts/)."""
    report = job.run(out, Recipe(epochs=epochs, seed=seed, data_dir=data_dir))
    typer.echo(f"report written to {report}")


@app.command("render")
def render_command(
    out: Path = typer.Option(Path("out"), help="Report folder of an earlier `run` (its facts/ and figures/)."),
) -> None:
    """Write OUT/report.md again from what `run` computed (OUT/facts/), in seconds: nothing is trained."""
    typer.echo(f"report written to {job.render(out)}")


@app.command("examine")
def examine_command(
    model: Path = typer.Option(Path("out/torch/model.pth"), help="A saved model: PyTorch .pth or Keras .keras."),
    out: Path = typer.Option(Path("out/examine"), help="Folder for the figures (written to OUT/figures/)."),
    data_dir: Path = typer.Option(SEED.data_dir, help="Folder of the MNIST IDX files (fetched if missing)."),
) -> None:
    """Examine a trained network: first-layer filters, their effect, the truncated model's activations."""
    net = load_torch_net(model)
    context = Context(out=out, data=mnist.load(data_dir), model_path=model)
    for finding in examine.findings(net, context):
        typer.echo(f"== {finding.heading}")
        if finding.printed:
            typer.echo(finding.printed)
        for path in finding.figures:
            typer.echo(f"figure: {path}")


app.add_typer(greek, name="greek")


def main() -> None:
    run_cli(app)
