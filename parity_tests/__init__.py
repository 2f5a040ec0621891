"""Proofs that the PyTorch reference and the Keras twin compute the same thing."""
