"""Commands that need a framework or an extra: a missing package named in one line, not a traceback."""
import importlib
import importlib.util
import sys


def launch(command: str, entry: str, install: str) -> None:
    """Run `entry` ("module", whose main(), or "module:function"); if it needs a package that is not installed
    (at import or later), say which in one line with `install`, the command that adds it, and exit 1, instead
    of a traceback."""
    module, _, function = entry.partition(":")
    try:
        getattr(importlib.import_module(module), function or "main")()
    except ModuleNotFoundError as error:
        package = (error.name or "").split(".")[0]
        if not package or importlib.util.find_spec(package) is not None:
            raise  # a module missing from a package that is installed: a bug, not a missing extra
        print(f"error: {command} needs {package}, which is not installed here: {install}", file=sys.stderr)
        sys.exit(1)
