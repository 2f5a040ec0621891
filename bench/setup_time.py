"""`python -m bench.setup_time`: the set-up step of `make run` (`make setup`) on fresh clones, with a cold and a
warm package cache, before the lock (pip) and now (uv); the figures go into bench/RESULTS.md's "Set-up".

Each clone is new and its caches are the run's own folders, so nothing installed or cached before counts.
`uv` is kept off the PATH, as on a fresh machine: the Makefile bootstraps it with pip.
"""
import os
import subprocess
import tempfile
import time
from pathlib import Path

import typer

from bench.sections import with_section
from runtime import atomic
from runtime.errors import InputError, run_cli

PROJECT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADING = "## Set-up"
BEFORE_LOCK = "20432fe"  # the last commit whose `make setup` was `pip install -e ".[all]"`, resolved afresh


def setup_seconds(revision: str, cache: Path, scratch: Path) -> float:
    """Wall time of `make setup` in a fresh clone of `revision`, with pip's and uv's caches in `cache`."""
    clone = Path(tempfile.mkdtemp(dir=scratch))
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", PROJECT, clone], check=True)
    subprocess.run(["git", "checkout", "--quiet", revision], cwd=clone, check=True)
    path = os.pathsep.join(entry for entry in os.environ["PATH"].split(os.pathsep)
                           if not (Path(entry) / "uv").exists())
    env = {**os.environ, "PATH": path, "PIP_CACHE_DIR": str(cache / "pip"), "UV_CACHE_DIR": str(cache / "uv")}
    start = time.perf_counter()
    done = subprocess.run(["make", "setup"], cwd=clone, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        last_line = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise InputError(f"make setup at {revision} failed: {last_line}")
    return time.perf_counter() - start


def measure(revision: str, scratch: Path) -> tuple[float, float]:
    """(cold, warm) seconds: the first set-up fills an empty cache, the second, in another clone, reuses it."""
    cache = Path(tempfile.mkdtemp(dir=scratch))
    return setup_seconds(revision, cache, scratch), setup_seconds(revision, cache, scratch)


def section(timings: dict[str, tuple[float, float]]) -> str:
    """The markdown set-up section: {revision: (cold, warm) seconds}, the pip revision first."""
    (old, before), (new, after) = timings.items()
    rows = [f"| before the lock (`{old}`): `pip install -e \".[all]\"` | {before[0]:.0f} s | {before[1]:.0f} s |",
            (f"| from the lock (`{new}`): `uv sync --frozen --all-extras --compile-bytecode` | {after[0]:.0f} s "
             f"| {after[1]:.0f} s |"),
            f"| before / from the lock | {before[0] / after[0]:.1f}x | {before[1] / after[1]:.1f}x |"]
    return "\n".join([HEADING, "",
                      f"`make setup` (the set-up step of `make run` and `make test`) on a fresh clone, measured by "
                      f"`python -m bench.setup_time` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; cold: "
                      "empty pip and uv caches, warm: the caches the cold run filled. Both include bootstrapping "
                      "uv with pip where it is not on the PATH. Load average (1 min) at the end: "
                      f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.", "",
                      "| set-up | cold cache | warm cache |", "| --- | ---: | ---: |", *rows, ""])


app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.command()
def setup(before: str = typer.Option(BEFORE_LOCK, help="Revision to compare with (pip, no lock)."),
          after: str = typer.Option("HEAD", help="Revision that installs from uv.lock."),
          out: Path = typer.Option(RESULTS, help="Results file whose set-up section is (re)written.")) -> None:
    """Time `make setup` on fresh clones, cold and warm cache, before and after the lock (several minutes)."""
    after = subprocess.run(["git", "rev-parse", "--short", after], cwd=PROJECT, capture_output=True, text=True,
                           check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as scratch:
        timings = {revision: measure(revision, Path(scratch)) for revision in (before, after)}
    text = section(timings)
    typer.echo(text)
    atomic.write_text(out, with_section(out.read_text() if out.exists() else "", HEADING, text))


if __name__ == "__main__":
    run_cli(app)
