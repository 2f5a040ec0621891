import sys

import pytest

from sweep.cli import _values, build_plan, main


def run_main(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["mnist-sweep", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def test_values_on_the_command_line_read_like_toml():
    assert _values("0.25,0.5") == [0.25, 0.5]
    assert _values("relu, tanh") == ["relu", "tanh"]
    assert _values("[1,2],[2]") == [[1, 2], [2]]


def test_options_change_the_plan():
    plan = build_plan("seed", ["lr=0.001,0.01"], ["epochs=3", "activation=tanh"], "one-at-a-time", 5)
    assert plan.vary == {"lr": (0.001, 0.01)} and plan.mode == "one-at-a-time" and plan.repeats == 5
    assert (plan.base.epochs, plan.base.activation) == (3, "tanh")


def test_dry_run_counts_the_trainings(monkeypatch, capsys, tmp_path):
    code, out, _ = run_main(monkeypatch, capsys, "run", "--plan", "seed", "--dry-run", "--out", str(tmp_path))
    assert code == 0
    assert "54 variants from 9 trainings per seed" in out and "0 of 27 trainings done, 189 epochs to run" in out


@pytest.mark.parametrize("args, message", [
    (["--vary", "width=1,2"], "error: built-in plan seed with options: unknown dimension 'width'"),
    (["--vary", "dropout"], "error: 'dropout': expected DIMENSION=VALUE"),
    (["--set", "dropout=high"], "error: built-in plan seed with options: dropout: 'high' is not a valid value"),
    (["--plan", "nowhere.toml"], "error: nowhere.toml: no such plan file or built-in plan (seed, small)"),
    (["--workers", "2"], "error: --workers needs --engine processes or ray (local trains one at a time)"),
    (["--engine", "processes", "--address", "auto"], "error: --address needs --engine ray"),
    (["--gpus-per-trial", "1"], "error: --gpus-per-trial needs --engine ray"),
    (["--framework", "keras", "--threads", "99"], "error: --threads 99: the Keras twin runs XLA on 1 thread or on all"),
])
def test_bad_input_is_one_line_on_stderr(monkeypatch, capsys, tmp_path, args, message):
    code, _, err = run_main(monkeypatch, capsys, "run", "--dry-run", "--out", str(tmp_path), *args)
    assert code == 1 and err.startswith(message) and err.count("\n") == 1


def test_a_malformed_plan_file_is_one_line(monkeypatch, capsys, tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text("[vary]\ndropout = [0.25, 0.5\n")
    code, _, err = run_main(monkeypatch, capsys, "run", "--plan", str(plan), "--dry-run")
    assert code == 1 and err.startswith(f"error: {plan}: not a readable TOML plan") and err.count("\n") == 1


def test_the_ray_engine_without_ray_says_how_to_install_it(monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # what `import ray` meets where Ray is not installed
    code, _, err = run_main(monkeypatch, capsys, "run", "--plan", "small", "--engine", "ray", "--out", str(tmp_path))
    assert code == 1
    assert err == ("error: --engine ray needs Ray, an optional extra: pip install \".[distributed]\" "
                   "(in the repository)\n")
