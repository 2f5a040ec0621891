"""Side-by-side benchmarks of the project against the obvious alternatives (`python -m bench`)."""
import keras_impl  # noqa: F401  (chooses the JAX backend before any bench module loads keras)
