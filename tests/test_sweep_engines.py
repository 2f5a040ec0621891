"""The engines with real trainings (tiny ones): the same results in this process, in worker processes and on
Ray; failures, dying workers and interruptions; joining a Ray head started by `ray start`. All bounded."""
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import pytest

from runtime.errors import InputError
from sweep import cli, engines, trial
from sweep.cli import build_plan
from sweep.run import load, pending, run
from sweep.stats import findings
from sweep.summary import summaries, table
from runtime_support import ctrl_c_reaches_children
from sweep_support import TINY, dies_on_first_attempt, fails_at_high_dropout, histories, sweep_command

TESTS = Path(__file__).parent
SEED_RESULTS = TESTS.parent / "sweep" / "results" / "seed" / "results.jsonl"
ENGINE_RESULTS = TESTS.parent / "sweep" / "results" / "engines"  # the seed plan, once on each engine
PLAN = build_plan("seed", TINY[1:2], TINY[3::2], None, 1)  # dropout 0.25/0.75, one seed: two trainings
SLOWER = ["--vary", "dropout=0.25,0.5,0.75", "--set", "epochs=1", "--set", "train_limit=3000", "--set",
          "test_limit=500", "--repeats", "2"]  # six trainings of about two seconds each


@pytest.fixture(scope="module")
def ray_instance():
    """A local Ray instance of 2 CPUs whose workers can import sweep_support; shut down after the module."""
    from sweep.ray_engine import ray_module
    try:
        ray = ray_module(local=True)  # before anything imports Ray: it reads the loopback switch then
    except InputError as error:
        pytest.skip(str(error))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]))
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def local_histories(tmp_path_factory, mnist_dir):
    """framework -> histories of the tiny plan trained by `mnist-sweep run` in its own process, on 1 thread."""
    found = {}

    def of(framework: str) -> dict:
        if framework not in found:
            out = tmp_path_factory.mktemp(f"local-{framework}")
            subprocess.run(sweep_command(out, mnist_dir, *TINY, "--repeats", "1", "--framework", framework,
                                         "--threads", "1"), check=True, capture_output=True, timeout=300)
            found[framework] = histories(out / "results.jsonl")
        return found[framework]
    return of


def engine(name: str, data, train=trial.train):
    if name == "processes":
        return partial(engines.processes, data=data, train=train, workers=2)
    from sweep.ray_engine import trials_on_ray
    return partial(trials_on_ray, data=data, train=train, workers=2, address=None, gpus_per_trial=0)


def test_a_local_ray_instance_listens_on_loopback_only(ray_instance):
    assert {node["NodeManagerAddress"] for node in ray_instance.nodes()} == {"127.0.0.1"}


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_every_engine_gives_the_local_results_bit_for_bit(framework, tmp_path, mnist_data, local_histories,
                                                          ray_instance):
    for name in ("processes", "ray"):
        results = tmp_path / name / "results.jsonl"
        records, failures = run(PLAN, results, framework, 1, engine(name, mnist_data))
        assert failures == 0 and [record["threads"] for record in records.values()] == [1, 1]
        assert histories(results) == local_histories(framework), name


@pytest.mark.parametrize("name", ["processes", "ray"])
def test_a_dying_worker_is_replaced_and_the_results_are_the_same(name, tmp_path, mnist_data, local_histories,
                                                                 ray_instance):
    train = partial(dies_on_first_attempt, marks=tmp_path)
    records, failures = run(PLAN, tmp_path / "results.jsonl", "torch", 1, engine(name, mnist_data, train))
    assert failures == 0 and len(list(tmp_path.glob("0.*-1"))) == 2  # each trial's worker died once
    assert histories(tmp_path / "results.jsonl") == local_histories("torch")


def test_a_trial_that_raises_is_one_line_and_the_sweep_goes_on(tmp_path, capsys, mnist_data):
    plan = build_plan("seed", TINY[1:2], TINY[3::2], None, 2)
    records, failures = run(plan, tmp_path / "results.jsonl", "torch", 1,
                            engine("processes", mnist_data, fails_at_high_dropout))
    assert failures == 2 and sorted(record["config"]["dropout"] for record in records.values()) == [0.25, 0.25]
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("failed: ")]
    assert sorted(lines) == [f"failed: torch dropout 0.75, epochs 1, train_limit 256, test_limit 200, seed {seed}: "
                             "ValueError: dropout 0.75 is too high for this test" for seed in (1, 2)]


def test_failures_make_the_exit_code_1_after_the_summary(monkeypatch, capsys, tmp_path, mnist_dir):
    monkeypatch.setattr(trial, "train", fails_at_high_dropout)
    monkeypatch.setattr(sys, "argv", sweep_command(tmp_path, mnist_dir, *TINY, "--repeats", "2")[2:])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 1 and (tmp_path / "summary.md").is_file()
    assert capsys.readouterr().err.startswith("error: 2 trainings failed (see above)")


@pytest.mark.parametrize("name", ["processes", "ray"])
def test_an_interrupted_sweep_trains_only_what_is_missing(name, tmp_path, mnist_dir):
    if name == "ray":
        pytest.importorskip("ray")
    command = sweep_command(tmp_path, mnist_dir, *SLOWER, "--engine", name, "--workers", "2")
    results = tmp_path / "results.jsonl"
    with ctrl_c_reaches_children():
        driver = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (results.exists() and results.read_text()) and time.monotonic() < deadline and driver.poll() is None:
        time.sleep(0.1)
    driver.send_signal(signal.SIGINT)  # Ctrl-C
    _, err = driver.communicate(timeout=60)
    assert driver.returncode == 130, err  # typer's exit code for Ctrl-C
    before = results.read_text()
    assert 1 <= len(before.splitlines()) < 6
    rerun = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    trained = [line for line in rerun.stdout.splitlines() if line.startswith("trained ")]
    assert len(trained) == 6 - len(before.splitlines())
    assert results.read_text().startswith(before) and len(load(results)) == 6


def test_a_sweep_joins_a_ray_head_by_address(tmp_path, mnist_dir, local_histories):
    pytest.importorskip("ray")
    port, dashboard = free_port(), free_port()
    log = tmp_path / "head.log"
    session = tempfile.TemporaryDirectory(prefix="ray", dir="/tmp")  # Ray's socket paths must stay short
    head = subprocess.Popen([str(Path(sys.executable).parent / "ray"), "start", "--head", "--port", str(port),
                             "--node-ip-address", "127.0.0.1", "--num-cpus", "2", "--dashboard-port", str(dashboard),
                             "--temp-dir", session.name, "--block"],
                            stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while "Ray runtime started" not in log.read_text() and time.monotonic() < deadline:
            assert head.poll() is None, log.read_text()
            time.sleep(0.2)
        out = tmp_path / "sweep"
        sweep = subprocess.run(sweep_command(out, mnist_dir, *TINY, "--repeats", "1", "--engine", "ray",
                                             "--address", f"127.0.0.1:{port}"),
                               capture_output=True, text=True, timeout=300,
                               env=os.environ | {"RAY_AUTH_MODE": "token"})  # the head's token: ~/.ray/auth_token
        assert sweep.returncode == 0, sweep.stderr
        assert histories(out / "results.jsonl") == local_histories("torch")
        # Without --address, a local instance of its own, though RAY_ADDRESS names the head (Ray's default
        # would join it, and refuse the local instance's CPU count there).
        alone = subprocess.run(sweep_command(tmp_path / "alone", mnist_dir, *TINY, "--repeats", "1", "--engine",
                                             "ray", "--workers", "1"), capture_output=True, text=True, timeout=300,
                               env=os.environ | {"RAY_ADDRESS": f"127.0.0.1:{port}"})
        assert alone.returncode == 0, alone.stderr
        assert histories(tmp_path / "alone" / "results.jsonl") == local_histories("torch")
    finally:
        head.terminate()  # `ray start --block` stops the processes it started when it gets SIGTERM
        try:
            head.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(head.pid, signal.SIGKILL)  # the session the test started, and nothing else
        session.cleanup()


def test_the_seed_results_summarise_the_same_in_any_order(tmp_path):
    plan = build_plan("seed", [], [], None, None)
    records = load(SEED_RESULTS)
    lines = SEED_RESULTS.read_text().splitlines()
    random.Random(1).shuffle(lines)
    (tmp_path / "results.jsonl").write_text("\n".join(lines) + "\n")
    shuffled = load(tmp_path / "results.jsonl")
    assert len(records) == 27 and list(shuffled) != list(records) and pending(plan, shuffled, "torch") == []
    for summarised in (summaries(plan, records, "torch"), summaries(plan, shuffled, "torch")):
        assert all(summary.n == 3 for summary in summarised.values())
    assert table(plan, summaries(plan, shuffled, "torch")) == table(plan, summaries(plan, records, "torch"))
    assert findings(plan, summaries(plan, shuffled, "torch")) == findings(plan, summaries(plan, records, "torch"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_whole_seed_plan_ran_alike_locally_and_on_ray():
    """The seed plan's 27 trainings (README): `local --threads 1`, Ray on a local instance of 2 workers, and Ray
    joined by address to a `ray start --head` node; each engine's own results file, run on one machine."""
    plan = build_plan("seed", [], [], None, None)
    runs = {engine: ENGINE_RESULTS / f"{engine}.jsonl" for engine in ("local", "ray-local", "ray-address")}
    for results in runs.values():
        records = load(results)
        assert len(records) == 27 and pending(plan, records, "torch") == []
        assert {record["threads"] for record in records.values()} == {1}
    local = histories(runs["local"])
    assert histories(runs["ray-local"]) == local and histories(runs["ray-address"]) == local
