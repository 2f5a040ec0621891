"""Command line of the sweeps: `mnist-sweep run --plan seed` is the seed report's whole experiment."""
import sys
from enum import Enum
from functools import partial
from pathlib import Path

import tomllib
import typer

from frameworks import FRAMEWORKS, named
from recipe.settings import cores
from runtime import atomic
from runtime.data import mnist
from runtime.errors import InputError, run_cli
from sweep import engines, ray_engine, summary, trial
from sweep.config import DIMENSIONS
from sweep.plan import MODES, Plan, describe, from_table, read_table, trainings
from sweep.run import Engine, load, pending, run

app = typer.Typer(help="Sweep the network's dimensions over several seeds: table, plots and findings.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
Mode = Enum("Mode", {mode: mode for mode in MODES}, type=str)
Framework = Enum("Framework", {name: name for name in FRAMEWORKS}, type=str)
EngineName = Enum("EngineName", {name: name for name in ("local", "processes", "ray")}, type=str)


@app.callback()
def commands() -> None:
    """Keeps `run` a named command (typer folds a lone command into the program)."""


@app.command("run")
def run_command(
    plan: str = typer.Option("seed", help="A built-in plan (seed, small) or a TOML plan file."),
    vary: list[str] = typer.Option([], help="DIMENSION=V1,V2,...: vary this instead of the plan's vary table; "
                                   f"repeatable. Dimensions: {', '.join(DIMENSIONS)}."),
    hold: list[str] = typer.Option([], "--set", help="DIMENSION=VALUE: hold a dimension at a value; repeatable."),
    mode: Mode = typer.Option(None, help="Override the plan's mode."),
    repeats: int = typer.Option(None, min=1, help="Seeds per variant (1, 2, ...); overrides the plan's."),
    out: Path = typer.Option(None, help="Folder of results.jsonl, summary.md and the plots "
                             "(default: out/sweep-PLAN, or out/sweep-PLAN-keras for keras)."),
    framework: Framework = typer.Option("torch", help="torch: the PyTorch reference; keras: its Keras (JAX) twin."),
    data_dir: Path = typer.Option(mnist.DEFAULT_DIR, help="Folder of the MNIST IDX files (fetched if missing)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would be trained, and what is done, then stop."),
    engine: EngineName = typer.Option("local", help="local: one training after another in this process; "
                                      "processes: in local worker processes; ray: as Ray tasks."),
    workers: int = typer.Option(None, min=1, help="Trainings at a time (processes, ray; default: the cores "
                                "here over --threads, or as many as a joined Ray cluster schedules)."),
    threads: int = typer.Option(None, min=1, help="Threads of each training (default: every core for local, "
                                "1 otherwise); recorded with its result."),
    address: str = typer.Option(None, help="ray: join the cluster at this address instead of starting a local "
                                "Ray instance (`auto`: the one `ray start` started on this machine)."),
    gpus_per_trial: float = typer.Option(0.0, min=0.0, help="ray: GPUs each training asks for; "
                                         "a training on a GPU uses it (CUDA)."),
) -> None:
    """Train every variant of a plan with each seed (skipping what results.jsonl holds); write summary.md."""
    chosen = build_plan(plan, vary, hold, mode and mode.value, repeats)
    check_engine_options(engine.value, workers, address, gpus_per_trial)
    threads = checked_threads(threads, engine.value, framework.value)
    out = out or default_out(plan, framework.value)
    results = out / "results.jsonl"
    if dry_run:
        typer.echo(status(chosen, results, framework.value))
        return
    runner = make_engine(engine.value, mnist.load(data_dir), workers, threads, address, gpus_per_trial)
    records, failures = run(chosen, results, framework.value, threads, runner)
    text = summary.markdown(chosen, summary.summaries(chosen, records, framework.value), out, out, framework.value)
    atomic.write_text(out / "summary.md", f"# Sweep ({FRAMEWORKS[framework.value].title})\n\n{text}\n")
    typer.echo(f"summary written to {out / 'summary.md'}")
    exit_if_failed(failures)


def exit_if_failed(failures: int) -> None:
    if failures:
        print(f"error: {failures} training{'s' * (failures > 1)} failed (see above); rerunning the command "
              "trains only what is missing", file=sys.stderr)
        raise typer.Exit(1)


def default_out(plan: str, framework: str) -> Path:
    """out/sweep-PLAN, and for a framework other than torch out/sweep-PLAN-FRAMEWORK: its own summary and plots."""
    suffix = "" if framework == "torch" else f"-{framework}"
    return Path("out") / f"sweep-{Path(plan).stem}{suffix}"


def checked_threads(threads: int | None, engine: str, framework: str) -> int:
    """--threads, or its default for the engine; checked against this machine's cores except on Ray."""
    threads = threads or (cores() if engine == "local" else 1)
    if engine != "ray":  # a Ray cluster's machines may have other cores: there each training checks
        try:
            named(framework).module("threads").check(threads)
        except ValueError as error:
            raise InputError(f"--threads {threads}: {error}") from None
    return threads


def check_engine_options(engine: str, workers: int | None, address: str | None, gpus_per_trial: float) -> None:
    if workers and engine == "local":
        raise InputError("--workers needs --engine processes or ray (local trains one at a time)")
    if (address or gpus_per_trial) and engine != "ray":
        raise InputError(f"--{'address' if address else 'gpus-per-trial'} needs --engine ray")
    if engine == "ray":
        ray_engine.ray_module(local=address is None)  # not installed: say how to install it before loading anything


def make_engine(name: str, data: mnist.Mnist, workers: int | None, threads: int, address: str | None,
                gpus_per_trial: float) -> Engine:
    """The engine `name` with everything but the trials bound; trials run sweep.trial.train."""
    if name == "local":
        return partial(engines.local, data=data, train=trial.train)
    if name == "processes":
        return partial(engines.processes, data=data, train=trial.train,
                       workers=workers or max(1, cores() // threads))
    return partial(ray_engine.trials_on_ray, data=data, train=trial.train,
                   workers=workers or (None if address else max(1, cores() // threads)),
                   address=address, gpus_per_trial=gpus_per_trial)


def build_plan(spec: str, vary: list[str], hold: list[str], mode: str | None, repeats: int | None) -> Plan:
    """The plan file's table, with the command line's changes."""
    table, source = read_table(spec)
    from_table(table, source)  # the file must be valid on its own
    if vary:
        table["vary"] = {name: _values(text) for name, text in map(_assignment, vary)}
    table["base"] = table.get("base", {}) | {name: _value(text) for name, text in map(_assignment, hold)}
    table |= {name: value for name, value in (("mode", mode), ("repeats", repeats)) if value is not None}
    return from_table(table, source if not (vary or hold or mode or repeats) else f"{source} with options")


def status(plan: Plan, results: Path, framework: str) -> str:
    todo = pending(plan, load(results), framework)
    runs = len(trainings(plan)) * plan.repeats
    return (f"{describe(plan)}.\n{runs - len(todo)} of {runs} trainings done, "
            f"{sum(config.epochs for config, _ in todo)} epochs to run (results in {results}).")


def _assignment(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name.strip() or not value.strip():
        raise InputError(f"{text!r}: expected DIMENSION=VALUE")
    return name.strip(), value.strip()


def _value(text: str) -> object:
    """A TOML value ('0.25', '[1, 2]'), or else the text itself as a name ('relu')."""
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        return text


def _values(text: str) -> list:
    """'0.25,0.5' -> [0.25, 0.5]; 'relu,tanh' -> ['relu', 'tanh']; '[1,2],[2]' -> [[1, 2], [2]]."""
    values = _value(f"[{text}]")
    return values if isinstance(values, list) else [item.strip() for item in text.split(",")]


def main() -> None:
    run_cli(app)
