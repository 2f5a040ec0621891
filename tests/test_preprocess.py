"""Behaviour of runtime.reading on synthetic pictures drawn with OpenCV."""
import struct

import cv2
import numpy as np
import pytest

from recipe.normalisation import MNIST_MEAN, MNIST_STD, normalise
from runtime.errors import InputError
from runtime.reading import decode, read
from runtime.reading.decode import decode_bytes, file_bytes

WHITE, BLACK, BEIGE, BLUE_INK = (255, 255, 255), (0, 0, 0), (200, 228, 240), (160, 60, 20)


def page(height=300, width=300, colour=WHITE):
    return np.full((height, width, 3), colour, np.uint8)


def draw_digit(image, text="5", centre=None, height=None, thickness=None, colour=BLACK):
    """Draw `text` with its glyph box centred at `centre` and about `height` px tall."""
    rows, cols = image.shape[:2]
    height = height or rows // 2
    scale = height / 22  # FONT_HERSHEY_SIMPLEX digits are ~22 px tall at scale 1
    thickness = thickness or max(1, round(height / 10))
    (width, glyph_height), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)
    cy, cx = centre or (rows // 2, cols // 2)
    origin = (cx - width // 2, cy + glyph_height // 2)
    cv2.putText(image, text, origin, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thickness, cv2.LINE_AA)
    return image


def lit_unevenly(image, darkest=0.45):
    """Multiply by a diagonal lighting gradient, from 1 down to `darkest`."""
    rows, cols = image.shape[:2]
    ramp = np.add.outer(np.arange(rows) / rows, np.arange(cols) / cols) / 2
    return (image * (1 - (1 - darkest) * ramp)[..., None]).astype(np.uint8)


def centre_of_mass(x):
    rows, cols = np.indices(x.shape)
    return (rows * x).sum() / x.sum(), (cols * x).sum() / x.sum()


def ink_box(x, level=0.1):
    rows, cols = np.nonzero(x > level)
    return rows.min(), rows.max(), cols.min(), cols.max()


def assert_mnist_like(x):
    assert x.shape == (28, 28) and x.dtype == np.float32
    assert x.min() >= 0 and x.max() <= 1
    assert x.max() > 0.99, "stroke cores must reach full intensity"
    top, bottom, left, right = ink_box(x)
    assert 19 <= max(bottom - top, right - left) + 1 <= 22, "longer side fits the 20-px box"
    assert min(top, left) >= 2 and max(bottom, right) <= 25
    border = np.concatenate([x[:2].ravel(), x[-2:].ravel(), x[:, :2].ravel(), x[:, -2:].ravel()])
    assert border.max() < 0.05, "background must be black"
    row, col = centre_of_mass(x)
    assert abs(row - 14) <= 1 and abs(col - 14) <= 1


def similarity(a, b):
    """Correlation of two 28x28 results, allowing the 1-px shift that centring by mass may make."""
    shifts = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
    return max(float(np.corrcoef(np.roll(a, shift, (0, 1)).ravel(), b.ravel())[0, 1]) for shift in shifts)


REFERENCE = read(draw_digit(page(), "5")).image

SCENES = {
    "small, off-centre": lambda: draw_digit(page(400, 600), "5", centre=(100, 450), height=60),
    "large": lambda: draw_digit(page(900, 800), "5", height=700),
    "thin pen, large photo": lambda: draw_digit(page(1200, 1200, (235,) * 3), "5", height=600, thickness=3),
    "blue ink, beige paper, uneven light": lambda: lit_unevenly(
        draw_digit(page(500, 400, BEIGE), "5", colour=BLUE_INK)
    ),
    "faint pencil": lambda: draw_digit(page(colour=(225, 225, 225)), "5", colour=(150, 150, 150)),
    "white on black": lambda: draw_digit(page(colour=BLACK), "5", colour=WHITE),
    "chalk on dark green": lambda: draw_digit(page(colour=(40, 70, 30)), "5", colour=(200, 210, 210)),
    "gray 2-D input": lambda: cv2.cvtColor(draw_digit(page(), "5"), cv2.COLOR_BGR2GRAY),
    "already 28x28": lambda: REFERENCE * 255,
}


@pytest.mark.parametrize("scene", SCENES)
def test_pictures_become_centred_mnist_digits(scene):
    image = SCENES[scene]()
    x = read(image.astype(np.uint8)).image
    assert_mnist_like(x)
    assert similarity(x, REFERENCE) > 0.8


def test_polarity_is_read_from_the_image():
    dark_on_light = read(draw_digit(page(), "7")).image
    light_on_dark = read(draw_digit(page(colour=BLACK), "7", colour=WHITE)).image
    assert similarity(dark_on_light, light_on_dark) > 0.95
    assert dark_on_light[0, 0] == 0 and light_on_dark[0, 0] == 0


def test_mnist_like_input_comes_through_unchanged():
    x = read(REFERENCE).image
    assert similarity(x, REFERENCE) > 0.97
    assert abs(x.sum() / REFERENCE.sum() - 1) < 0.15


@pytest.mark.parametrize("size, thickness", [(1000, 2), (250, 40)], ids=["hairline", "marker"])
def test_stroke_width_is_normalised(size, thickness):
    image = page(size, size)
    cv2.ellipse(image, (size // 2, size // 2), (size * 3 // 10, size * 4 // 10), 0, 0, 360, BLACK, thickness)
    x = read(image).image
    assert_mnist_like(x)
    left_side, right_side = np.split(x[14] > 0.5, 2)  # the middle row crosses both sides of the ring
    assert 2 <= left_side.sum() <= 4 and 2 <= right_side.sum() <= 4, "MNIST strokes are 2-4 px wide"


def test_separate_strokes_are_all_kept():
    image = page()
    cv2.line(image, (100, 60), (200, 60), BLACK, 12)  # a detached top bar, as in some 5s
    cv2.line(image, (110, 80), (110, 240), BLACK, 12)
    x = read(image).image
    top, bottom, left, right = ink_box(x)
    assert bottom - top >= 19 and right - left >= 10


def test_colour_contrast_counts_per_channel():
    """Yellow ink differs from white paper only in blue, yet it is the ink, not a grey pencil mark."""
    clean = read(draw_digit(page(), "2", colour=(0, 220, 255))).image
    image = draw_digit(page(), "2", colour=(0, 220, 255))
    cv2.line(image, (20, 280), (120, 280), (170, 170, 170), 4)
    assert similarity(read(image).image, clean) > 0.95


def on_backdrop(paper, backdrop, pad_y, pad_x):
    return cv2.copyMakeBorder(paper, pad_y, pad_y, pad_x, pad_x, cv2.BORDER_CONSTANT, value=backdrop)


@pytest.mark.parametrize(
    "image",
    [
        on_backdrop(draw_digit(page(300, 240), "4"), (70, 80, 90), 60, 80),  # paper on a dark table
        on_backdrop(draw_digit(page(300, 90, (150,) * 3), "1", height=250), WHITE, 30, 130),  # a pasted strip
    ],
    ids=["paper on dark table", "grey strip on white canvas"],
)
def test_paper_on_a_backdrop_is_not_ink(image):
    x = read(image).image
    assert_mnist_like(x)
    assert (x > 0.5).mean() < 0.25, "only strokes are ink, not the paper"


@pytest.mark.parametrize("grid", [False, True], ids=["ruled", "squared"])
def test_lines_of_ruled_paper_are_not_ink(grid):
    image, tilt = page(400, 400), 12  # lines slightly askew, as in a photo
    for at in range(-40, 440, 32):
        cv2.line(image, (0, at), (399, at + tilt), (230, 200, 170), 2)
        if grid:
            cv2.line(image, (at, 0), (at - tilt, 399), (230, 200, 170), 2)
    clean = read(draw_digit(page(400, 400), "3", colour=BLUE_INK)).image
    assert similarity(read(draw_digit(image, "3", colour=BLUE_INK)).image, clean) > 0.95


def test_specks_and_border_shadow_are_ignored():
    clean = read(draw_digit(page(600, 600), "3", height=250)).image
    image = draw_digit(page(600, 600), "3", height=250)
    image[:, :25] = 60  # a shadow band along the left edge
    for y, x in [(50, 500), (550, 100), (520, 520)]:
        cv2.circle(image, (x, y), 2, BLACK, -1)
    assert similarity(read(image).image, clean) > 0.95


@pytest.mark.parametrize(
    "blank",
    [page(), page(colour=BLACK), page(colour=(128, 128, 128)), lit_unevenly(page())],
    ids=["white", "black", "grey", "white, uneven light"],
)
def test_blank_images_are_refused(blank):
    with pytest.raises(InputError, match="no digit found"):
        read(blank).image


def test_noise_alone_is_refused():
    noise = np.random.default_rng(0).normal(180, 12, (300, 300)).clip(0, 255).astype(np.uint8)
    with pytest.raises(InputError, match="no digit found"):
        read(noise).image


def write(path, image, ext=".png"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(cv2.imencode(ext, image)[1].tobytes())
    return path


def test_non_ascii_path_with_spaces(tmp_path):
    path = write(tmp_path / "dígitos à mão" / "mein Bild ünd 5.png", draw_digit(page(), "5"))
    assert_mnist_like(read(path).image)


def test_jpeg_and_sixteen_bit_png_match_eight_bit_png(tmp_path):
    image = draw_digit(page(), "2")
    expected = read(write(tmp_path / "eight.png", image)).image
    sixteen = write(tmp_path / "sixteen.png", image.astype(np.uint16) * 257)
    assert decode_bytes(file_bytes(sixteen)).max() == 1
    assert np.abs(read(sixteen).image - expected).max() < 1e-3
    assert similarity(read(write(tmp_path / "photo.jpg", image, ".jpg")).image, expected) > 0.97


def test_a_large_jpeg_is_decoded_at_a_reduced_size_and_read_the_same():
    """A 12-megapixel JPEG is decoded at half size (libjpeg's scaling), then averaged down as a whole one is."""
    image = draw_digit(page(3000, 4000, BEIGE), "7", colour=BLUE_INK)
    data = cv2.imencode(".jpg", image)[1]
    whole = decode.as_gray_or_bgr(decode.shrink(cv2.imdecode(data, cv2.IMREAD_UNCHANGED), decode.WORK_SIDE))
    assert decode._decoding(decode._jpeg_frame(data.tobytes())) == cv2.IMREAD_REDUCED_COLOR_2
    reduced = decode_bytes(data)
    assert reduced.shape == whole.shape == (480, 640, 3)
    assert np.abs(reduced - whole).mean() < 0.01
    assert similarity(read(data.tobytes()).image, read(whole).image) > 0.97
    small = cv2.imencode(".jpg", cv2.resize(image, (2000, 1500)))[1]  # up to 2,560 px: decoded whole, as before
    expected = decode.as_gray_or_bgr(decode.shrink(cv2.imdecode(small, cv2.IMREAD_UNCHANGED), decode.WORK_SIDE))
    assert decode._decoding(decode._jpeg_frame(small.tobytes())) == cv2.IMREAD_COLOR
    assert np.array_equal(decode_bytes(small), expected)


def with_orientation(jpeg: bytes, orientation: int) -> bytes:
    """The JPEG with an EXIF segment holding only its orientation tag (0x0112), as a phone writes it."""
    tiff = b"II*\x00" + struct.pack("<IHHHIHHI", 8, 1, 0x0112, 3, 1, orientation, 0, 0)
    app1 = b"Exif\x00\x00" + tiff
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + jpeg[2:]


@pytest.mark.parametrize("side", [400, 3000])
def test_a_jpeg_stored_sideways_is_read_upright_as_its_exif_orientation_says(side):
    """Orientation 6: the pixels are stored turned a quarter to the left; shown, and read, turned back. Whole and
    reduced decodings alike."""
    upright = draw_digit(page(side * 3 // 4, side, BEIGE), "7", colour=BLUE_INK)
    sideways = cv2.imencode(".jpg", cv2.rotate(upright, cv2.ROTATE_90_COUNTERCLOCKWISE))[1].tobytes()
    tagged = with_orientation(sideways, 6)
    expected = read(cv2.imencode(".jpg", upright)[1].tobytes())
    assert decode_bytes(tagged).shape[:2] == decode_bytes(cv2.imencode(".jpg", upright)[1]).shape[:2]
    assert similarity(read(tagged).image, expected.image) > 0.97
    assert similarity(read(sideways).image, expected.image) < 0.9  # untagged: read as stored


def test_a_gray_picture_in_colour_is_read_as_one_gray_channel():
    """The drawing page's canvas comes as an RGBA PNG with equal channels: read once, not three times, and as
    its gray PNG."""
    image = draw_digit(page(), "4")
    canvas = cv2.imencode(".png", cv2.cvtColor(image, cv2.COLOR_BGR2BGRA))[1].tobytes()
    gray = cv2.imencode(".png", image[..., 0])[1].tobytes()
    assert decode_bytes(canvas).shape == (300, 300)
    assert np.array_equal(read(canvas).image, read(gray).image)
    tinted = image.copy()
    tinted[0, 0, 2] = 254  # one pixel off gray: a colour picture
    assert decode_bytes(cv2.imencode(".png", tinted)[1].tobytes()).shape == (300, 300, 3)


def test_the_colour_of_transparent_pixels_does_not_matter():
    strokes = draw_digit(page(colour=BLACK), "4", colour=WHITE)[..., 0]
    rgba = np.zeros((300, 300, 4), np.uint8)
    rgba[..., 3] = strokes
    junk = rgba.copy()
    junk[strokes == 0, :3] = (255, 0, 128)  # as some apps leave the colour of pixels nobody sees
    assert decode_bytes(png_bytes(junk)).shape == (300, 300)
    assert np.array_equal(read(png_bytes(junk)).image, read(png_bytes(rgba)).image)


@pytest.mark.parametrize("ink", [BLACK, WHITE, BLUE_INK])
def test_transparent_background_ink_is_where_alpha_is_opaque(tmp_path, ink):
    strokes = draw_digit(page(colour=BLACK), "4", colour=WHITE)[..., 0]
    rgba = np.zeros((300, 300, 4), np.uint8)  # transparent pixels are black, as many apps save them
    rgba[..., :3] = ink
    rgba[..., 3] = strokes
    expected = read(strokes).image
    assert similarity(read(write(tmp_path / "drawing.png", rgba)).image, expected) > 0.97


def test_normalise_uses_mnist_statistics():
    x = np.array([[0.0, MNIST_MEAN, 1.0]], np.float32)
    expected = [[-MNIST_MEAN / MNIST_STD, 0, (1 - MNIST_MEAN) / MNIST_STD]]
    np.testing.assert_allclose(normalise(x), expected, rtol=1e-6)
    assert normalise(x).dtype == np.float32


def png_bytes(image):
    return cv2.imencode(".png", image)[1].tobytes()


def jpeg_bytes(image):
    return cv2.imencode(".jpg", image)[1].tobytes()


BAD_FILES = {
    "empty.png": (b"", "empty"),
    "notes.png": (b"shopping list: milk, eggs\n" * 20, "cannot decode"),
    "cut.png": (png_bytes(draw_digit(page(), "5"))[:600], "cannot decode"),
    "cut.jpg": (jpeg_bytes(draw_digit(page(), "5"))[:600], "cannot decode"),
    "dot.png": (png_bytes(np.zeros((1, 1), np.uint8)), "too small"),
    "white.png": (png_bytes(page()), "no digit found"),
    "black.jpg": (jpeg_bytes(page(colour=BLACK)), "no digit found"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_files_raise_input_error_naming_the_file(tmp_path, name):
    data, reason = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=reason) as caught:
        read(path).image
    assert name in str(caught.value) and "\n" not in str(caught.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="missing.png: no such file"):
        read(tmp_path / "missing.png")
    with pytest.raises(InputError, match="is a directory"):
        read(tmp_path)


def test_too_large_is_refused_from_the_header_before_decoding(tmp_path, monkeypatch):
    monkeypatch.setattr(decode, "MAX_PIXELS", 100 * 100)
    for name, data in [("big.png", png_bytes(page(200, 200))), ("big.jpg", jpeg_bytes(page(200, 200)))]:
        (tmp_path / name).write_bytes(data[:300])  # only the header: the size is read from it
        with pytest.raises(InputError, match=f"{name}: image too large"):
            read(tmp_path / name)
    (tmp_path / "big.bmp").write_bytes(cv2.imencode(".bmp", page(200, 200))[1].tobytes())
    with pytest.raises(InputError, match="too large"):
        read(tmp_path / "big.bmp")


def test_marker_covering_most_of_the_frame_is_still_dark_ink():
    """A felt-tip 0 whose ink outweighs the paper: the ring is read, not the paper inside and around it."""
    image = page(300, 240)
    cv2.ellipse(image, (120, 150), (85, 115), 0, 0, 360, (30, 20, 20), 80)  # 69% of the frame
    x = read(image).image
    assert x[14, 14] < 0.1, "the paper inside the 0 is its hole"
    left_side, right_side = np.split(x[14] > 0.5, 2)
    assert left_side.any() and right_side.any(), "the ring crosses the middle row on both sides"
