"""RESULTS.md sections: bench.setup_time and bench.serving each rewrite their own; a full `python -m bench`
keeps the set-up one."""
from bench.sections import section, with_section

RESULTS = "# Benchmarks\n\n## Ratios\n\n| a | 1x |\n"


def test_a_section_is_appended_then_replaced_in_place():
    first = with_section(RESULTS, "## Set-up", "## Set-up\n\nfirst\n")
    assert first == RESULTS + "\n## Set-up\n\nfirst\n"
    later = with_section(first + "\n## Notes\n\nkept\n", "## Set-up", "## Set-up\n\nsecond\n")
    assert later == RESULTS + "\n## Set-up\n\nsecond\n\n## Notes\n\nkept\n"
    assert with_section("", "## Serving", "## Serving\n\nx\n") == "## Serving\n\nx\n"


def test_section_is_that_section_only():
    assert section(RESULTS, "## Set-up") == ""
    assert section(RESULTS + "\n## Set-up\n\nfigures\n\n## Notes\n\nx\n", "## Set-up") == "## Set-up\n\nfigures\n"
