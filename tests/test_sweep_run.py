import dataclasses
import json
from functools import partial

import pytest

from sweep import engines
from sweep.plan import Plan, trainings
from sweep.run import append, key, load, outcomes
from sweep.run import run as run_engine

PLAN = Plan({"dropout": (0.25, 0.75), "epochs": (1, 2)}, repeats=2)  # 2 trainings x 2 seeds


def fake_trainer(calls: list, fail_at: int | None = None):
    """Records its calls; results encode the configuration and seed so that mixing would show."""
    def train(trial, data):
        config, seed = trial.config, trial.seed
        calls.append((config, seed))
        if len(calls) == fail_at:
            raise KeyboardInterrupt
        return [{"epoch": epoch, "test_loss": config.dropout, "test_accuracy": (config.train_limit or 0) + seed,
                 "seconds": float(epoch)} for epoch in range(1, config.epochs + 1)]
    return train


def run(plan: Plan, results, train, framework: str) -> dict[str, dict]:
    """The local engine with `train`; the records."""
    records, failures = run_engine(plan, results, framework, 1, partial(engines.local, data=None, train=train))
    assert failures == 0
    return records


def test_an_interrupted_sweep_resumes_without_training_anything_twice(tmp_path):
    results, calls = tmp_path / "results.jsonl", []
    with pytest.raises(KeyboardInterrupt):
        run(PLAN, results, fake_trainer(calls, fail_at=3), "torch")
    assert len(load(results)) == 2  # the two finished; the one in progress is lost
    rerun_calls = []
    records = run(PLAN, results, fake_trainer(rerun_calls), "torch")
    assert set(rerun_calls).isdisjoint(calls[:2]) and set(rerun_calls) | set(calls[:2]) == {
        (config, seed) for config in trainings(PLAN) for seed in (1, 2)}
    assert len(results.read_text().splitlines()) == 4 == len(records)
    assert all(len(rows) == 2 for rows in outcomes(PLAN, records, "torch").values())
    again = []
    run(PLAN, results, fake_trainer(again), "torch")
    assert again == []


def test_a_changed_plan_never_mixes_in_other_configurations(tmp_path):
    results = tmp_path / "results.jsonl"
    run(PLAN, results, fake_trainer([]), "torch")
    changed = dataclasses.replace(PLAN, base=dataclasses.replace(PLAN.base, train_limit=50))
    calls = []
    records = run(changed, results, fake_trainer(calls), "torch")
    assert len(calls) == 4 and len(records) == 8
    assert {row["test_accuracy"] for rows in outcomes(changed, records, "torch").values() for row in rows} == {51, 52}
    more_seeds = []
    run(dataclasses.replace(PLAN, repeats=3), results, fake_trainer(more_seeds), "torch")
    assert [seed for _, seed in more_seeds] == [3, 3]
    assert all(rows == [] for rows in outcomes(PLAN, records, "keras").values())


def test_variants_read_their_epoch_from_the_shared_history(tmp_path):
    records = run(PLAN, tmp_path / "results.jsonl", fake_trainer([]), "torch")
    for variant, rows in outcomes(PLAN, records, "torch").items():
        assert [row["epoch"] for row in rows] == [variant.epochs] * 2
        assert [row["test_loss"] for row in rows] == [variant.dropout] * 2


def test_a_torn_last_line_is_skipped_and_never_glued_to_the_next(tmp_path):
    results = tmp_path / "results.jsonl"
    config = trainings(PLAN)[0]
    append(results, {"key": key("torch", config, 1), "history": []})
    with results.open("a") as file:
        file.write('{"key": "torn", "hist')  # a crash in the middle of a write
    assert list(load(results)) == [key("torch", config, 1)]
    append(results, {"key": key("torch", config, 2), "history": []})
    assert list(load(results)) == [key("torch", config, 1), key("torch", config, 2)]
    assert json.loads(results.read_text().splitlines()[-1])["key"] == key("torch", config, 2)
