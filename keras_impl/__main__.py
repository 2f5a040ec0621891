"""`keras-mnist`, also `python -m keras_impl`: its commands are frameworks.cli's, one floor up (the same for both
twins, with `convert` between them)."""
from runtime.errors import launch


def main() -> None:
    launch("keras-mnist", "frameworks.cli:keras_main", 'pip install ".[keras]" (in the repository)')


if __name__ == "__main__":
    main()
