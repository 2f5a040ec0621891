"""RESULTS.md is written by more than one command: each owns one `## ` section and rewrites only that."""


def section(markdown: str, heading: str) -> str:
    """The section of `markdown` that starts at `heading`, up to the next `## ` heading ("" if none)."""
    if heading not in markdown:
        return ""
    rest = markdown[markdown.index(heading):]
    end = rest.find("\n## ", 1)
    return rest if end < 0 else rest[:end]


def with_section(markdown: str, heading: str, new_section: str) -> str:
    """`markdown` with its `heading` section replaced by `new_section`, or `new_section` appended."""
    old = section(markdown, heading)
    if old:
        return markdown.replace(old, new_section)
    return (markdown.rstrip("\n") + "\n\n" if markdown.strip() else "") + new_section
