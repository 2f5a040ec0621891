"""The seed recipe trains the same weights as before the recipe, the network and the training loop were each
defined once (#15): SHA-256 of the trained weights, recorded with the code of a2906b4 on 2 threads.

Bit for bit holds on one kind of CPU only (README, Experiments): elsewhere these tests skip."""
import hashlib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from recipe.settings import SEED, SHIPPED
from runtime.data.mnist import Mnist

RECORDED_ON = ("Intel(R) Xeon(R) Processor", True)  # /proc/cpuinfo's model name, and whether it has AVX-512
TORCH_ONE_EPOCH = "a40ba04bc8b356e9cf3e58158b2b85e0b8def3579378f741b068e94d9d30faf1"  # 6,400 images
TORCH_SEED_RECIPE = "4a50a21b92a65ff8e53a0cfe6e40ae9af62bb324a5e6141b6f7b55c4740baec3"  # 5 epochs, 60,000 images
TORCH_SHIPPED_TWO_EPOCHS = "e18784797a87c0018613eed852ded5b4e0dae995fb746e9215275ac0684a493a"  # 1,280 images
KERAS_ONE_EPOCH = "e4c328a46de2c04889f33ee3e8e660b9e547eca579d0e556409f9af584999d50"  # 6,400 images


def this_cpu() -> tuple[str, bool]:
    text = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    names = [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("model name")]
    return (names[0] if names else "unknown", " avx512f" in text)


pytestmark = pytest.mark.skipif(this_cpu() != RECORDED_ON, reason=f"checksums recorded on {RECORDED_ON[0]}")


def digest(arrays: dict[str, np.ndarray]) -> str:
    """SHA-256 over each tensor's name and bytes, in order (not the file, whose bytes hold more than weights)."""
    sha = hashlib.sha256()
    for name, value in arrays.items():
        sha.update(name.encode())
        sha.update(np.ascontiguousarray(value).tobytes())
    return sha.hexdigest()


@pytest.fixture
def two_threads():
    torch = pytest.importorskip("torch")
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    yield
    torch.set_num_threads(threads)


def torch_digest(model) -> str:
    return digest({name: value.numpy() for name, value in model.state_dict().items()})


def test_torch_seed_recipe_one_epoch(mnist_data, two_threads):
    from torch_impl.data import as_tensors
    from torch_impl.train import train

    assert torch_digest(train(replace(SEED, epochs=1, train_limit=6400), as_tensors(mnist_data))[0]) == TORCH_ONE_EPOCH


def test_torch_shipped_recipe_two_epochs(mnist_data, two_threads):
    """Augmentation, AdamW and the one-cycle schedule: the shipped recipe's whole path, small."""
    from torch_impl.data import as_tensors
    from torch_impl.train import train

    model, _ = train(replace(SHIPPED, epochs=2, train_limit=1280), as_tensors(mnist_data))
    assert torch_digest(model) == TORCH_SHIPPED_TWO_EPOCHS


def test_torch_seed_recipe_in_full(reference_model):
    """The session's reference model (conftest): the seed recipe itself, if trained on 2 threads."""
    import torch

    if torch.get_num_threads() != 2:
        pytest.skip(f"recorded on 2 threads; this session trains on {torch.get_num_threads()}")
    assert torch_digest(reference_model[0]) == TORCH_SEED_RECIPE


def test_keras_seed_recipe_one_epoch(mnist_data):
    pytest.importorskip("keras")
    from keras_impl.convert import get_weights
    from keras_impl.train import as_data, train

    data = Mnist(mnist_data.train_images[:6400], mnist_data.train_labels[:6400], mnist_data.test_images,
                 mnist_data.test_labels)
    assert digest(get_weights(train(replace(SEED, epochs=1), as_data(data))[0])) == KERAS_ONE_EPOCH
