"""bench.training.alternated: the twins' passes are taken in turn, so that a load that comes and goes falls on
both, and each one's median is of its own passes after its warm-up."""
from bench.training import Loop, alternated


def test_passes_are_taken_in_turn_and_each_median_is_its_own():
    order = []

    def passes(name, seconds):
        for each in seconds:
            order.append(name)
            yield each

    first = Loop("first", passes("first", [9.0, 1.0, 3.0, 2.0]), 100, lambda: 0.5)
    second = Loop("second", passes("second", [8.0, 4.0, 6.0, 5.0]), 50, lambda: 0.25)
    results = alternated(first, second)
    assert order == ["first", "second"] * 4
    assert [(result.loop, result.seconds, result.images, result.test_accuracy) for result in results] == \
        [("first", 2.0, 100, 0.5), ("second", 5.0, 50, 0.25)]
