"""The truncated model: the dense-50 layer after its ReLU, sharing the network's weights."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from recipe.normalisation import normalise
from report.context import SHARED_DATA
from runtime.symbols.sets import read_symbol_folder, select_classes
from torch_impl.embedding import Truncated, embed_images
from torch_impl.model import Net


@pytest.fixture(scope="module")
def net():
    torch.manual_seed(0)
    return Net().eval()


def test_truncated_model_is_fc1_after_relu_with_shared_weights(net):
    images = np.random.default_rng(0).random((4, 28, 28), dtype=np.float32)
    batch = torch.from_numpy(normalise(images)).unsqueeze(1)
    expected = F.relu(net.fc1(torch.flatten(net.convolutions(batch), 1)))
    truncated = Truncated(net)
    assert all(mine is theirs for mine, theirs in zip(truncated.parameters(), net.parameters()))
    np.testing.assert_array_equal(embed_images(truncated, images), expected.detach().numpy())


def test_embedding_of_1000_mnist_test_digits(net, mnist_data):
    vectors = embed_images(net, mnist_data.test_images[:1000] / 255.0)
    assert vectors.shape == (1000, 50) and vectors.dtype == np.float32 and vectors.min() >= 0


@pytest.mark.skipif(not (SHARED_DATA / "greek").is_dir(), reason="no ../shared/data/greek")
def test_embedding_of_the_27_greek_letters(net):
    symbols = select_classes(read_symbol_folder(SHARED_DATA / "greek"), ["alpha", "beta", "gamma"])
    assert embed_images(net, symbols.images).shape == (27, 50)
