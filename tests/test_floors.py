"""The house's floors: every import of our own code runs down a floor or stays on its own, and no files import
each other in a circle. Read from the source with `ast`, so an import inside a function counts too."""
import ast
from pathlib import Path

ROOT = Path(__file__).parents[1]
# Each package may import its own modules and the packages on floors below it; not a package beside it.
FLOORS = [
    {"runtime"},
    {"synthetic", "plots", "recipe"},
    {"torch_impl", "keras_impl"},
    {"frameworks"},
    {"export", "sweep"},
    {"report"},
    {"bench"},
]
FLOOR = {package: level for level, packages in enumerate(FLOORS) for package in packages}
OURS = set(FLOOR) | {"tests", "parity_tests"}
# Inside the runtime, the same rule between its rooms; `runtime` itself (its __init__, loading the public names
# on first use) and `runtime.__main__` stand on top.
RUNTIME_FLOORS = [
    {"runtime.errors"},
    {"runtime.atomic"},
    {"runtime.data", "runtime.reading", "runtime.models"},
    {"runtime.symbols"},
    {"runtime.serve"},
    {"runtime.cli"},
]
ROOM = {room: level for level, rooms in enumerate(RUNTIME_FLOORS) for room in rooms}
MAX_MODULE_LINES, MAX_FUNCTION_LINES = 250, 40


def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every non-test .py file of the floors (not the copies that building the
    runtime's wheel leaves in runtime/build/)."""
    return {".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): path
            for package in FLOOR for path in sorted((ROOT / package).rglob("*.py"))
            if "build" not in path.relative_to(ROOT).parts}


def imports(path: Path, name: str) -> set[str]:
    """The modules of ours that `path` (module `name`) imports, as dotted names."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from . import x
                parent = name.split(".")[:len(name.split(".")) - node.level + (path.name == "__init__.py")]
                base = ".".join(parent + ([base] if base else []))
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return {module for module in found if module.split(".")[0] in OURS}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {module for module in imports(path, name) if module in known and module != name}
            for name, path in known.items()}


def test_floors_name_every_package():
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - {"tests", "parity_tests"}
    assert packages == set(FLOOR)


def allowed(importer: str, imported: str) -> bool:
    package, other = importer.split(".")[0], imported.split(".")[0]
    return other == package or other in FLOOR and FLOOR[other] < FLOOR[package]


def test_no_import_runs_back_up_or_sideways():
    wrong = [f"{name} imports {module}" for name, path in modules().items() for module in imports(path, name)
             if not allowed(name, module)]
    assert wrong == []


def room(module: str) -> str:
    """The runtime room a module of the runtime lives in ("runtime.reading.ink" -> "runtime.reading")."""
    return ".".join(module.split(".")[:2])


def allowed_in_runtime(importer: str, imported: str) -> bool:
    mine, other = room(importer), room(imported)
    # runtime and runtime.__main__ stand on top; "runtime" itself is what `from runtime import atomic` also
    # names, and its __init__ imports none of ours but on first use of a public name.
    if mine not in ROOM or imported == "runtime":
        return True
    return other == mine or other in ROOM and ROOM[other] < ROOM[mine]


def test_runtime_floors_name_every_room():
    rooms = {room(name) for name in modules() if name.startswith("runtime.")} - {"runtime.__main__"}
    assert rooms == set(ROOM)


def test_no_runtime_import_runs_back_up_or_sideways():
    wrong = [f"{name} imports {module}" for name, path in modules().items() if name.startswith("runtime")
             for module in imports(path, name) if module.startswith("runtime") and not allowed_in_runtime(name, module)]
    assert wrong == []


def test_modules_and_functions_stay_small():
    """A newcomer reads each module of every floor in one sitting: at most 250 lines, no function over 40."""
    large = []
    for name, path in modules().items():
        source = path.read_text()
        if len(source.splitlines()) > MAX_MODULE_LINES:
            large.append(f"{name}: {len(source.splitlines())} lines")
        large += [f"{name}.{node.name}: {node.end_lineno - node.lineno + 1} lines"
                  for node in ast.walk(ast.parse(source)) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert large == []


def circles(edges: dict[str, set[str]]) -> list[str]:
    """Every circle a depth-first walk of the import graph finds, as 'a -> b -> a'."""
    found, state = [], {}  # name -> "open" while on the walk's path, "done" after

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for module in sorted(edges.get(name, ())):
            if state.get(module) == "open":
                found.append(" -> ".join(path[path.index(module):] + [module]))
            elif module not in state:
                visit(module, path + [module])
        state[name] = "done"

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    return found


def test_no_files_import_each_other_in_a_circle():
    assert circles(graph()) == []


def test_the_checks_see_what_they_should():
    """The parser finds what it must, and the rule refuses what the house had: the twin on top of the reference,
    the export reaching up into the report."""
    assert not allowed("keras_impl.cli", "torch_impl.checkpoint") and not allowed("export.shipped", "report.greek")
    assert allowed("export.graphs", "frameworks") and allowed("sweep.trial", "sweep.config")
    assert circles({"sweep.train": {"sweep.torch_train"}, "sweep.torch_train": {"sweep.train"}}) == [
        "sweep.torch_train -> sweep.train -> sweep.torch_train"]
    assert not allowed_in_runtime("runtime.reading.ink", "runtime.models") and \
        not allowed_in_runtime("runtime.models.contract", "runtime.serve.app")
    assert allowed_in_runtime("runtime.serve.app", "runtime.reading") and allowed_in_runtime("runtime", "runtime.cli")
    edges = graph()
    assert "runtime.reading.decode" in edges["runtime.reading.ink"]
    assert "recipe.settings" in edges["torch_impl.model"]
    assert "torch_impl.model" in edges["torch_impl.train"]
    assert "sweep.config" in edges["sweep.trial"]
