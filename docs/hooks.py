"""MkDocs hooks: pages made from files the project writes elsewhere, so that the site never holds a hand copy.

- `<!-- include PATH -->` on a line of its own is replaced by the file PATH (from the repository root), its
  headings one level down, so that the page keeps its own title (the benchmarks page includes bench/RESULTS.md).
- The seed plan's sweep summary (sweep/results/seed/) becomes the page results/sweep-seed/summary.md, with its
  plots beside it, as `mnist-sweep` wrote them.
"""
import re
from pathlib import Path

from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
INCLUDE = re.compile(r"^<!-- include (\S+) -->$", re.MULTILINE)
HEADING = re.compile(r"^(#+) ", re.MULTILINE)
FOLDERS = {"sweep/results/seed": "results/sweep-seed"}  # repository folder -> site folder (its .md and .png)


def on_files(files, config):
    for source, target in FOLDERS.items():
        for path in sorted((ROOT / source).iterdir()):
            if path.suffix in (".md", ".png"):
                files.append(File.generated(config, f"{target}/{path.name}", abs_src_path=str(path)))
    return files


def on_page_markdown(markdown, page, config, files):
    return INCLUDE.sub(lambda match: _included(match.group(1)), markdown)


def _included(name: str) -> str:
    path = ROOT / name
    if not path.is_file():
        raise FileNotFoundError(f"docs include: {name} is not a file of the repository")
    return HEADING.sub(r"#\1 ", path.read_text())
