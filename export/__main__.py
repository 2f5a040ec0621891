"""`mnist-export`, also `python -m export`."""
from frameworks.launch import launch


def main() -> None:
    launch("mnist-export", "export.cli", 'pip install ".[torch,export]" (in the repository)')


if __name__ == "__main__":
    main()
