"""The framework-free runtime (`python -m runtime`)."""
from runtime.cli import main

main()
