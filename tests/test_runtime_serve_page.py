"""The drawing page in a real browser: Debian's Chromium, driven by Playwright, draws digits on the
canvas with mouse moves; the page must show what the server read, and a screenshot is saved in out/."""
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from runtime_support import served

sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
OUT = Path("out")
# Strokes as fractions of the canvas: a 7 is a bar and a long diagonal; a 1 a vertical line.
STROKES = {"7": [[(0.25, 0.2), (0.75, 0.2), (0.45, 0.85)]], "1": [[(0.5, 0.15), (0.5, 0.85)]],
           "#": [[(0.35, 0.2), (0.35, 0.8)], [(0.65, 0.2), (0.65, 0.8)], [(0.2, 0.4), (0.8, 0.4)],
                 [(0.2, 0.6), (0.8, 0.6)]]}


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.skip("chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@contextmanager
def opened(browser, tmp_path: Path, *options: str):
    """The page of a `runtime serve` started with `options`, on a phone-sized screen."""
    with served(tmp_path, *options) as server:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(server.url)
        yield page
        page.close()


@pytest.fixture(scope="module")
def page(browser, tmp_path_factory):
    with opened(browser, tmp_path_factory.mktemp("serve")) as page:
        yield page


def draw(page, strokes, steps: int = 12) -> None:
    """Each stroke as mouse moves over the canvas, button held, in `steps` moves per segment."""
    box = page.locator("#pad").bounding_box()
    for stroke in strokes:
        points = [(box["x"] + x * box["width"], box["y"] + y * box["height"]) for x, y in stroke]
        page.mouse.move(*points[0])
        page.mouse.down()
        for point in points[1:]:
            page.mouse.move(*point, steps=steps)
        page.mouse.up()


@pytest.mark.parametrize("shown", ["7", "1"])
def test_drawn_digit_is_read(page, shown):
    page.click("#clear")
    draw(page, STROKES[shown])
    sync_api.expect(page.locator("#result")).to_have_attribute("data-value", shown, timeout=10_000)
    assert page.locator("#bars li").count() == 10
    assert page.locator("#bars li.best b").inner_text() == shown
    seen = page.evaluate("Array.from(document.getElementById('seen').getContext('2d')"
                         ".getImageData(0, 0, 28, 28).data).filter((v, i) => i % 4 == 0 && v > 128).length")
    assert 20 < seen < 400  # the network's 28x28 input, ink bright, drawn on the page
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=OUT / f"serve-page-{shown}.png", full_page=True)


def test_greek_mode_shows_the_nearest_references(page):
    page.click("#clear")
    page.check("input[value=greek]")
    draw(page, [[(0.7, 0.3), (0.55, 0.75), (0.35, 0.7), (0.3, 0.45), (0.45, 0.3), (0.6, 0.5), (0.75, 0.75)]])
    neighbours = page.locator("#neighbours li")
    sync_api.expect(neighbours).to_have_count(5, timeout=10_000)
    assert "distance" in neighbours.first.inner_text()
    assert page.locator("#result").get_attribute("data-value") not in ("", "?")
    page.screenshot(path=OUT / "serve-page-greek.png", full_page=True)
    page.click("#clear")
    assert page.locator("#result").inner_text() == "?" and neighbours.count() == 0


def test_the_answer_updates_while_drawing(page):
    """Debounced requests while the button is still held, not only when the stroke ends."""
    page.click("#clear")
    page.check("input[value=digits]")
    box = page.locator("#pad").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 0.15 * box["height"])
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 0.85 * box["height"], steps=12)
    sync_api.expect(page.locator("#result")).to_have_attribute("data-value", "1", timeout=10_000)
    page.mouse.up()


def test_a_picture_that_is_no_digit_says_so_with_the_bars_still_shown(browser, tmp_path):
    """A hash sign, on a server whose threshold only a clear digit passes; a drawn 1 still passes it."""
    with opened(browser, tmp_path, "--reject-below", "0.99") as page:
        draw(page, STROKES["#"])
        sync_api.expect(page.locator("#result")).to_have_attribute("data-value", "not a digit", timeout=10_000)
        assert page.locator("#confidence").inner_text().startswith("best guess ")
        assert page.locator("#bars li").count() == 10
        page.screenshot(path=OUT / "serve-page-not-a-digit.png", full_page=True)
        page.click("#clear")
        draw(page, STROKES["1"])
        sync_api.expect(page.locator("#result")).to_have_attribute("data-value", "1", timeout=10_000)
