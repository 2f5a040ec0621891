"""The report's rotated-photo measurement: seeded angles, whole-picture rotation, counting per model."""
import cv2
import numpy as np
from runtime_support import digit, shared_folder

from report.rotated_photos import ANGLE_RANGE, ANGLES_PER_PHOTO, correct_when_rotated, rotate, rotation_angles
from runtime.models import DIGITS, OnnxModel


class Always:
    """A stand-in digits graph that names `digit` for every image."""

    def __init__(self, digit: int) -> None:
        self.digit = digit

    def run(self, images: np.ndarray) -> np.ndarray:
        return np.log(np.eye(10, dtype=np.float32)[[self.digit] * len(images)] + 1e-9)


def test_rotation_angles_are_seeded_and_turn_both_ways():
    angles = rotation_angles(10)
    assert angles.shape == (10, ANGLES_PER_PHOTO)
    assert np.array_equal(angles, rotation_angles(10)) and not np.array_equal(angles, rotation_angles(10, seed=1))
    assert ANGLE_RANGE[0] <= np.abs(angles).min() and np.abs(angles).max() <= ANGLE_RANGE[1]
    assert (angles > 0).any() and (angles < 0).any()


def test_rotate_turns_about_the_centre_and_keeps_the_whole_picture():
    picture = np.arange(40 * 60, dtype=np.float32).reshape(40, 60)
    np.testing.assert_allclose(rotate(picture, 90), np.rot90(picture), atol=1e-3)  # anticlockwise
    np.testing.assert_allclose(rotate(picture, -90), np.rot90(picture, -1), atol=1e-3)
    turned = rotate(np.full((40, 60, 3), 0.8, np.float32), 30)
    assert turned.shape == (65, 72, 3)  # 60 cos 30 + 40 sin 30, 60 sin 30 + 40 cos 30
    assert np.allclose(turned, 0.8)  # the new corners are the paper, not black


def test_counts_each_models_correct_rotations_of_a_generated_photo(tmp_path):
    photo = tmp_path / "3_generated.png"  # the label is the file name's first character
    cv2.imwrite(str(photo), digit())
    assert correct_when_rotated([photo], [Always(3), Always(8)]) == ([ANGLES_PER_PHOTO, 0], ANGLES_PER_PHOTO)
    assert correct_when_rotated([photo], [OnnxModel(DIGITS)]) == ([ANGLES_PER_PHOTO], ANGLES_PER_PHOTO)


def test_the_shipped_model_reads_the_shared_photos_when_turned():
    paths = sorted(shared_folder("handwritten_digits").glob("*.png"))
    (shipped, always_seven), total = correct_when_rotated(paths, [OnnxModel(DIGITS), Always(7)])
    assert total == ANGLES_PER_PHOTO * len(paths) == 70
    assert always_seven == ANGLES_PER_PHOTO  # one photo of each digit
    print(f"shipped model on the turned shared photos: {shipped}/{total}")
    assert shipped >= 0.9 * total
