"""Command line of the report: the main job and the analysis commands."""
from pathlib import Path

import typer

from report import main as main_job
from runtime.errors import run_cli
from torch_impl.config import TrainConfig

app = typer.Typer(help="Train, examine and compare the MNIST networks; write the report.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
DEFAULTS = TrainConfig()


@app.command("run")
def run_command(
    out: Path = typer.Option(Path("out"), help="Report folder (report.md, figures/, models)."),
    epochs: int = typer.Option(DEFAULTS.epochs, min=1),
    seed: int = typer.Option(DEFAULTS.seed),
    data_dir: Path = typer.Option(DEFAULTS.data_dir, help="Folder of the MNIST IDX files (fetched if missing)."),
) -> None:
    """The main job on built-in defaults: fetch MNIST, train, evaluate, examine, export; write out/report.md."""
    report = main_job.run(out, TrainConfig(epochs=epochs, seed=seed, data_dir=data_dir))
    typer.echo(f"report written to {report}")


def main() -> None:
    run_cli(app)
