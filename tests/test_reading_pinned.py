"""The readings of MNIST digits, the generated hard photos and the shared digit photos, pinned: work that makes
reading faster must leave what it reads unchanged (the serving issue). The digests are of the readings made at
commit 0703060; a change that moves them must say why and re-pin them."""
import hashlib

import cv2
import numpy as np
import pytest
from runtime_support import MNIST_DIR, shared_folder

from runtime.data import mnist
from runtime.reading import read
from synthetic.photos import CONDITIONS, photo_file

MNIST_COUNT = 300  # test digits as POST /predict gets them in bench.serving: a 28x28 PNG, dark on white
PHOTOS_PER_CONDITION = 2
PINNED = {
    "mnist": "dfa407fe51389c8b3d2030da004083336698261c80aa8859b201eee7ba79cdcc",
    "hard photos": "2426be926c8a28dac23661233138575e3263d68c912683791aef4e8d57c6c5d7",
    "shared photos": "6ad1b0bf3fb9ee14f2e9c8b8878a5c3529c181c11eba6afcf671a4c41c790cbd",
}


def digest(sources: list) -> str:
    """sha256 of the readings: images to 5 decimals, how many symbols, where the one read is."""
    sha = hashlib.sha256()
    for source in sources:
        reading = read(source)
        sha.update(np.round(reading.image, 5).tobytes())
        sha.update(np.round([reading.candidates, *reading.box], 5).tobytes())
    return sha.hexdigest()


@pytest.fixture(scope="module")
def digits() -> np.ndarray:
    return mnist.load(MNIST_DIR).test_images


def test_mnist_readings_are_unchanged(digits):
    pictures = [cv2.imencode(".png", 255 - image)[1].tobytes() for image in digits[:MNIST_COUNT]]
    assert digest(pictures) == PINNED["mnist"]


def test_hard_photo_readings_are_unchanged(digits):
    pictures = [photo_file(condition, index, 0, digits)[0] for condition in CONDITIONS
                for index in range(PHOTOS_PER_CONDITION)]
    assert digest(pictures) == PINNED["hard photos"]


def test_shared_photo_readings_are_unchanged():
    assert digest(sorted(shared_folder("handwritten_digits").iterdir())) == PINNED["shared photos"]
