"""`python -m bench`: every comparison in one run, printed and saved as a markdown table."""
import tempfile
from dataclasses import replace
from pathlib import Path

import typer

from bench import (ceiling, footprint, inference, reading_cost, sections, serving, setup_time, startup, sweeps, targets,
                   training)
from bench.pictures import write_picture
from bench.report import markdown, measurement_rows
from bench.timing import FULL, QUICK, Sizes
from runtime import atomic
from runtime.data import mnist
from runtime.errors import run_cli

PROJECT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
QUICK_RESULTS = Path("out/bench-quick.md")  # smoke numbers never overwrite the real ones

app = typer.Typer(help="Benchmark the project against the obvious alternatives, side by side.",
                  pretty_exceptions_enable=False, add_completion=False)


@app.command()
def bench(
    quick: bool = typer.Option(False, "--quick", help="Tiny sizes: a smoke test of the suite, not a measurement."),
    skip_venv: bool = typer.Option(False, "--skip-venv",
                                   help="Estimate the runtime-only venv's size instead of building one."),
    out: Path = typer.Option(None, help=f"Markdown file to write (default {RESULTS.relative_to(PROJECT)}, "
                                        f"or {QUICK_RESULTS} with --quick)."),
    train_images: int = typer.Option(None, min=64, max=60_000, help="Training images per timed pass."),
    train_repeats: int = typer.Option(None, min=1, help="Timed training passes (after one warm-up pass)."),
    test_images: int = typer.Option(None, min=1, max=10_000, help="Test images for inference and accuracy."),
    repeats: int = typer.Option(None, min=1, help="Timed inference and start-up repetitions."),
    data_dir: Path = typer.Option(mnist.DEFAULT_DIR, help="Folder of the MNIST IDX files (fetched if missing)."),
) -> None:
    """Training, inference, start-up, footprint, serving and sweep engines, each as ratios against its alternative."""
    overrides = {"train_images": train_images, "train_repeats": train_repeats,
                 "test_images": test_images, "repeats": repeats}
    sizes = replace(QUICK if quick else FULL, **{key: value for key, value in overrides.items() if value is not None})
    ratios, rows = measure(mnist.load(data_dir), data_dir, sizes, quick, skip_venv)
    table = markdown(ratios, rows, sizes, quick)
    typer.echo(table)
    out = out or (QUICK_RESULTS if quick else RESULTS)
    kept = sections.section(out.read_text(), setup_time.HEADING) if out.exists() else ""  # bench.setup_time's
    atomic.write_text(out, table + ("\n" + kept if kept else ""))


def measure(data: mnist.Mnist, data_dir: Path, sizes: Sizes, quick: bool, skip_venv: bool) -> tuple[list, list]:
    """Every section in turn (never two at once: each would slow the other down); their ratios and measurements."""
    typer.echo("the machine's ceiling ...", err=True)
    limit = ceiling.run(sizes.repeats)
    typer.echo("training ...", err=True)
    trained = training.run(data, data_dir, sizes)
    typer.echo("inference ...", err=True)
    inferred = inference.run(data, sizes)
    typer.echo("start-up ...", err=True)
    started = startup.run(data, sizes.repeats)
    typer.echo("footprint ..." if skip_venv else "footprint (building a runtime-only venv) ...", err=True)
    disk = footprint.run(PROJECT, build=not skip_venv)
    typer.echo("reading pictures ...", err=True)
    read = reading_cost.run(data.test_images, sizes.repeats)
    typer.echo("serving ...", err=True)
    with tempfile.TemporaryDirectory() as tmp:
        served = serving.run(data.test_images[0], write_picture(Path(tmp) / "one.png", data.test_images[0]), quick)
    typer.echo("sweep engines ...", err=True)
    swept = sweeps.run(data, data_dir, sizes)
    ratios = [*targets.training_ratios(trained, limit), *targets.inference_ratios(inferred),
              *targets.deployment_ratios(*started, disk), *reading_cost.ratios(read), *serving.ratios(served),
              *targets.sweep_ratios(swept)]
    rows = [*measurement_rows(limit, trained, inferred, started, disk, swept), *reading_cost.rows(read),
            *serving.rows(served)]
    return ratios, rows


def main() -> None:
    run_cli(app)
