"""The server's awaited paths give what the plain calls give, and a picture's size is read from its header."""
import asyncio

import cv2
import numpy as np
import pytest

from runtime.errors import InputError
from runtime.models import DIGITS, EMBEDDING, DigitModel, EmbeddingModel, OnnxModel
from runtime.models.batching import BatchedModel
from runtime.reading.decode import encoded_size
from runtime.symbols.classifier import SymbolClassifier


@pytest.mark.parametrize("ext", [".png", ".bmp", ".jpg"])
@pytest.mark.parametrize("width, height", [(28, 28), (640, 37), (1, 300)])
def test_encoded_size_is_read_from_the_header(ext, width, height):
    picture = np.random.default_rng(width).integers(0, 256, (height, width, 3), dtype=np.uint8)
    encoded = cv2.imencode(ext, picture)[1]
    assert encoded_size(encoded) == encoded_size(encoded.tobytes()) == (width, height)


@pytest.mark.parametrize("data", [b"", b"GIF89a" + bytes(40), b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff" + bytes(10)])
def test_encoded_size_of_other_or_cut_bytes_is_none(data):
    assert encoded_size(data) is None


def test_awaited_answers_equal_the_plain_ones():
    images = np.random.default_rng(0).random((5, 28, 28), dtype=np.float32)
    digits_net, embedding_net = BatchedModel(OnnxModel(DIGITS, "full")), BatchedModel(OnnxModel(EMBEDDING, "embedding"))
    try:
        digits, embedding = DigitModel(digits_net), EmbeddingModel(embedding_net)
        symbols = SymbolClassifier(embedding=embedding)

        async def awaited():
            return (await digits.predict_async(images), await embedding.embed_async(images),
                    await symbols.classify_async(images, k=3))

        predictions, vectors, matches = asyncio.run(awaited())
        assert predictions == digits.predict(images)
        np.testing.assert_allclose(vectors, embedding.embed(images), atol=1e-6)
        assert [m.label for m in matches] == [m.label for m in symbols.classify(images, k=3)]
        with pytest.raises(InputError, match="k must be at least 1"):
            asyncio.run(symbols.classify_async(images, k=0))
    finally:
        digits_net.close()
        embedding_net.close()
