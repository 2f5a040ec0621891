# `make run`: set up and run the main job; `make test`: set up and run the whole test suite.
# Both install exactly what uv.lock says (uv sync --frozen); `make lock` refreshes the lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# uv from the PATH, or bootstrapped from PyPI with pip into .uv/ on first use.
UV ?= $(shell command -v uv 2>/dev/null || echo .uv/bin/uv)
UV_VERSION := 0.13.9
DRIFT := .venv-drift

.PHONY: setup run test docs tutorial bench fonts models lock drift clean

.uv/bin/uv:
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet uv==$(UV_VERSION)

# --compile-bytecode: uv, unlike pip, leaves the .pyc files to the first import, and where they cannot be
# written (PYTHONDONTWRITEBYTECODE, a read-only install) every process compiles its imports again: in `make
# bench`, `runtime predict` started in 0.80 s without and 0.50 s with it, for about 34 s more at set-up.
$(BIN)/activate: uv.lock pyproject.toml runtime/pyproject.toml | $(UV)
	$(UV) sync --frozen --all-extras --compile-bytecode --python $(PYTHON)
	touch $@

setup: $(BIN)/activate

run: setup
	$(BIN)/python -m report run --out out

test: setup
	$(BIN)/python -m pytest

# The documentation site (docs/, mkdocs.yml) into site/; --strict: a broken link, anchor or page fails it.
# NO_MKDOCS_2_WARNING: Material's banner about MkDocs 2.0, printed on every build, is news, not a problem of ours.
docs: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

# Execute the tutorial (docs/tutorial/seed_report.py) at full size into its paired notebook, outputs stored, as the
# site shows it; TUTORIAL_QUICK=1 trains one epoch on 10,000 images instead.
tutorial: setup
	$(BIN)/jupytext --to ipynb --execute docs/tutorial/seed_report.py

bench: setup
	$(BIN)/python -m bench

# Debian's font packages the generated Greek letters are drawn from (synthetic/greek.py FONT_PACKAGES), if missing.
fonts: setup
	@packages="$$($(BIN)/python -c 'from synthetic.greek import FONT_PACKAGES; print(*FONT_PACKAGES)')"; \
	dpkg -s $$packages >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq $$packages >/dev/null; }

# Regenerate the runtime's shipped models (runtime/models): strong-recipe training, export, Greek references.
models: fonts
	$(BIN)/python -m export models

# Refresh the lock: every package at the newest version pyproject.toml allows. Then `make test`.
lock: | $(UV)
	$(UV) lock --upgrade --python $(PYTHON)

# The suite in a throw-away environment of the newest versions pyproject.toml allows, not the lock's, after
# a list of what differs from the lock: finds an upstream release that breaks something before a new user
# does. On purpose, not in CI.
drift: setup
	rm -rf $(DRIFT)
	$(UV) venv --quiet --python $(PYTHON) $(DRIFT)
	$(UV) pip install --quiet --python $(DRIFT)/bin/python -e ./runtime -e ".[all]"
	$(UV) pip freeze --quiet --python $(BIN)/python --exclude-editable > $(DRIFT)/locked.txt
	$(UV) pip freeze --quiet --python $(DRIFT)/bin/python --exclude-editable > $(DRIFT)/newest.txt
	@echo "what differs from the lock (< locked, > newest):"; diff $(DRIFT)/locked.txt $(DRIFT)/newest.txt || true
	$(DRIFT)/bin/python -m pytest; status=$$?; rm -rf $(DRIFT); exit $$status

clean:
	rm -rf out site .pytest_cache
