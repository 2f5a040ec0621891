"""Test pictures made from MNIST digits."""
from pathlib import Path

import cv2
import numpy as np


def write_picture(path: Path, image: np.ndarray) -> Path:
    """An MNIST digit as people photograph them: dark ink on light paper, 4x larger."""
    cv2.imwrite(str(path), 255 - cv2.resize(image, (112, 112), interpolation=cv2.INTER_CUBIC))
    return path
