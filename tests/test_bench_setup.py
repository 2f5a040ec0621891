"""bench.setup_time writes its section into the results file; a full `python -m bench` keeps it."""
from bench.setup_time import kept_section, with_section

RESULTS = "# Benchmarks\n\n## Ratios\n\n| a | 1x |\n"


def test_set_up_section_is_appended_then_replaced_in_place():
    first = with_section(RESULTS, "## Set-up\n\nfirst\n")
    assert first == RESULTS + "\n## Set-up\n\nfirst\n"
    later = with_section(first + "\n## Notes\n\nkept\n", "## Set-up\n\nsecond\n")
    assert later == RESULTS + "\n## Set-up\n\nsecond\n\n## Notes\n\nkept\n"


def test_kept_section_is_the_set_up_section_only():
    assert kept_section(RESULTS) == ""
    assert kept_section(RESULTS + "\n## Set-up\n\nfigures\n\n## Notes\n\nx\n") == "## Set-up\n\nfigures\n"
