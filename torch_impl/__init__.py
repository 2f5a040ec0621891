"""The PyTorch reference implementation of the MNIST network."""
