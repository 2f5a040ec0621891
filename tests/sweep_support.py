"""Helpers of the sweep engine tests: stand-in trainers that fail on purpose (importable by worker processes
and Ray workers, which get this folder on their path), and the command line in a subprocess."""
import json
import os
import signal
import sys
from pathlib import Path

from sweep import trial
from sweep.trial import Trial

TINY = ["--vary", "dropout=0.25,0.75", "--set", "epochs=1", "--set", "train_limit=256", "--set", "test_limit=200"]


def sweep_command(out: Path, data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "sweep", "run", "--out", str(out), "--data-dir", str(data_dir), *args]


def histories(results: Path) -> dict[str, list[tuple[float, float]]]:
    """key -> per epoch (test loss, test accuracy): everything but the seconds."""
    records = [json.loads(line) for line in results.read_text().splitlines()]
    return {record["key"]: [(row["test_loss"], row["test_accuracy"]) for row in record["history"]]
            for record in records}


def fails_at_high_dropout(trial_: Trial, data) -> list[dict]:
    if trial_.config.dropout > 0.5:
        raise ValueError(f"dropout {trial_.config.dropout} is too high\nfor this test")
    return [{"epoch": 1, "test_loss": 1.0, "test_accuracy": 0.5, "seconds": 0.0}]


def dies_on_first_attempt(trial_: Trial, data, marks: Path) -> list[dict]:
    """Kills its own worker process the first time it sees a trial; trains it for real the next time."""
    mark = marks / f"{trial_.config.dropout}-{trial_.seed}"
    if not mark.exists():
        mark.touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return trial.train(trial_, data)
