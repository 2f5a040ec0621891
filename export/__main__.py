"""ONNX export of the MNIST network (`python -m export`)."""
from export.cli import main

main()
