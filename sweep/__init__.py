"""Experiment sweeps over the network's dimensions, repeated over seeds, with honest statistics."""
