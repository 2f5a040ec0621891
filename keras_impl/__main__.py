"""`keras-mnist`, also `python -m keras_impl`."""
from runtime.errors import launch


def main() -> None:
    launch("keras-mnist", "keras_impl.cli", 'pip install ".[keras]" (in the repository)')


if __name__ == "__main__":
    main()
