"""The one exception type the project raises for bad input, and how CLIs report it."""
import sys
from collections.abc import Callable
from pathlib import Path


class InputError(Exception):
    """Bad input from the user (missing, corrupt or wrong-kind file): shown as one line, exit 1."""


def existing_file(path: str | Path, kind: str) -> Path:
    """`path` if it is a file; else InputError saying it is a directory or missing (`kind`: "model file")."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a {kind}")
    if not path.is_file():
        raise InputError(f"{path}: no such {kind}")
    return path


def run_cli(app: Callable[[], object]) -> None:
    """Run a typer app so that an InputError becomes `error: ...` on stderr and exit code 1."""
    try:
        app()
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        sys.exit(130)


def report(problems: list[str]) -> None:
    """Each problem as its own `error: ...` line on stderr (a command that goes on with the rest)."""
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
