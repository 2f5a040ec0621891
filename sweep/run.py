"""Run a plan so that it survives interruption: each finished (training, seed) is appended to a JSONL
results file at once, keyed by a hash of its full configuration and seed; a rerun skips what is there."""
import dataclasses
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from runtime.errors import InputError
from sweep.config import NetConfig
from sweep.plan import Plan, training_of, trainings

# (config, seed, progress, task) -> per epoch {"epoch", "test_loss", "test_accuracy", "seconds"}
Trainer = Callable[[NetConfig, int, Progress, TaskID], list[dict]]


def key(framework: str, config: NetConfig, seed: int) -> str:
    text = json.dumps({"framework": framework, "config": dataclasses.asdict(config), "seed": seed}, sort_keys=True)
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


def run(plan: Plan, results: Path, trainer: Trainer, framework: str, train_size: int) -> dict[str, dict]:
    """Train what the results file lacks; return all its records."""
    done = load(results)
    todo = pending(plan, done, framework)
    if not todo:
        return done
    total = sum(config.epochs * min(train_size, config.train_limit or train_size) for config, _ in todo)
    with _progress_bar() as progress:
        task = progress.add_task("", total=total, trainings=f"0/{len(todo)}")
        for number, (config, seed) in enumerate(todo, 1):
            progress.update(task, trainings=f"{number}/{len(todo)}")
            record = {"key": key(framework, config, seed), "framework": framework, "seed": seed,
                      "config": dataclasses.asdict(config), "history": trainer(config, seed, progress, task)}
            append(results, record)
            done[record["key"]] = record
    return done


def pending(plan: Plan, done: dict[str, dict], framework: str) -> list[tuple[NetConfig, int]]:
    """The (training, seed) pairs of the plan that the results lack, in plan order."""
    return [(config, seed) for config in trainings(plan) for seed in plan.seeds()
            if key(framework, config, seed) not in done]


def _progress_bar() -> Progress:
    return Progress(TextColumn("training {task.fields[trainings]}"), BarColumn(),
                    TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(), TextColumn("left"),
                    TimeRemainingColumn(), TextColumn("{task.description}"))


def outcomes(plan: Plan, done: dict[str, dict], framework: str) -> dict[NetConfig, list[dict]]:
    """Each variant's finished seeds: its epoch's entry in the history of the training it is read from."""
    found = {}
    for variant, training in training_of(plan).items():
        records = [done.get(key(framework, training, seed)) for seed in plan.seeds()]
        found[variant] = [record["history"][variant.epochs - 1] for record in records if record]
    return found
