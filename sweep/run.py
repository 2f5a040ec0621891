"""Run a plan so that it survives interruption: the driver appends each finished (training, seed) to a JSONL
results file as it arrives, keyed by a hash of its full configuration and seed; a rerun skips what is there."""
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from recipe.settings import Recipe
from runtime.errors import InputError
from sweep.config import dimensions
from sweep.engines import Failure, Finished
from sweep.plan import Plan, training_of, trainings
from sweep.trial import Trial, describe

Engine = Callable[[list[Trial]], Finished]  # sweep.engines.local etc. with all but the trials bound
PLAIN = {"markup": False, "highlight": False, "soft_wrap": True}  # a training's line: as it is, unwrapped


def key(framework: str, config: Recipe, seed: int) -> str:
    text = json.dumps({"framework": framework, "config": dimensions(config), "seed": seed}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def load(path: Path) -> dict[str, dict]:
    """key -> record of every whole line in the results file (a line torn by a crash is skipped)."""
    try:
        lines = path.read_text().splitlines() if path.exists() else []
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the results file ({error})") from None
    records = {}
    for line in lines:
        try:
            record = json.loads(line)
            records[record["key"]] = record
        except (json.JSONDecodeError, TypeError, KeyError):
            continue
    return records


def append(path: Path, record: dict) -> None:
    """One write of one whole line, then fsync: a crash leaves either the line or nothing (or a torn tail)."""
    line = (json.dumps(record) + "\n").encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line  # end a torn line left by a crash, so this record stays whole
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def run(plan: Plan, results: Path, framework: str, threads: int, engine: Engine) -> tuple[dict[str, dict], int]:
    """Train on `engine` what the results file lacks, appending each result as it arrives; return all the
    file's records and the number of trials that failed (each reported in one line)."""
    done = load(results)
    todo = [Trial(framework, config, seed, threads) for config, seed in pending(plan, done, framework)]
    if not todo:
        return done, 0
    failures = 0
    with _progress_bar() as progress:
        task = progress.add_task("trainings", total=len(todo))
        for trial, outcome in engine(todo):
            if isinstance(outcome, Failure):
                failures += 1
                progress.console.print(f"failed: {describe(trial)}: {outcome.error}", **PLAIN)
            else:
                record = {"key": key(framework, trial.config, trial.seed), "framework": framework,
                          "seed": trial.seed, "config": dimensions(trial.config), "threads": trial.threads,
                          "history": outcome}
                append(results, record)
                done[record["key"]] = record
                progress.console.print(f"trained {describe(trial)}: {_last_epoch(outcome, trial.threads)}", **PLAIN)
            progress.advance(task)
    return done, failures


def pending(plan: Plan, done: dict[str, dict], framework: str) -> list[tuple[Recipe, int]]:
    """The (training, seed) pairs of the plan that the results lack, in plan order."""
    return [(config, seed) for config in trainings(plan) for seed in plan.seeds()
            if key(framework, config, seed) not in done]


def _last_epoch(history: list[dict], threads: int) -> str:
    last = history[-1]
    return (f"test accuracy {100 * last['test_accuracy']:.2f}%, loss {last['test_loss']:.4f} after {last['epoch']} "
            f"epochs ({last['seconds']:.0f} s training on {threads} thread{'s' * (threads > 1)})")


def _progress_bar() -> Progress:
    return Progress(TextColumn("{task.description}"), MofNCompleteColumn(), BarColumn(),
                    TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn())


def outcomes(plan: Plan, done: dict[str, dict], framework: str) -> dict[Recipe, list[dict]]:
    """Each variant's finished seeds: its epoch's entry in the history of the training it is read from, with
    the seed (the pairs of sweep.stats.paired_p)."""
    found = {}
    for variant, training in training_of(plan).items():
        records = [done.get(key(framework, training, seed)) for seed in plan.seeds()]
        found[variant] = [{**record["history"][variant.epochs - 1], "seed": record["seed"]}
                          for record in records if record]
    return found
