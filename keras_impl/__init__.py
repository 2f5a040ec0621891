"""The Keras 3 twin of the reference network, on the JAX backend."""
import os

# Chosen here, before anything imports keras, so `import keras_impl` needs no configuration.
os.environ.setdefault("KERAS_BACKEND", "jax")
