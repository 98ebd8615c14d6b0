# One command builds every handout; one runs the tests. See README.md.
# `handouts` is also a folder name: .PHONY makes make run the target anyway.
.PHONY: handouts test test-fast check status previews bench bytecode fonts lock upgrade clean distclean

VENV   := .venv
PYTHON := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
FONTS  := styles/fonts/fetched/.installed

# `make handouts CLINIC=clinics/example.yaml` prints a clinic's own handouts.
handouts: $(STAMP) $(FONTS) bytecode
	$(PYTHON) make_handouts.py build $(if $(CLINIC),--clinic $(CLINIC))

check: $(STAMP) $(FONTS)
	$(PYTHON) make_handouts.py check

status: $(STAMP)
	$(PYTHON) make_handouts.py status

# One test process per core (pytest-xdist): a free one takes the next test waiting. The
# builds many tests read are each made once, by the first process that needs it.
PYTEST := $(PYTHON) -m pytest -n auto --dist worksteal

test: $(STAMP) $(FONTS)
	$(PYTEST)

# Every test that needs no PDF (schema, errors, translations, readability, content, safety):
# what a translator or content editor runs after an edit.
test-fast: $(STAMP) $(FONTS)
	$(PYTEST) -m "not pdf"

# Speed and memory against the naive approach, measured in one run (see README).
bench: $(STAMP) $(FONTS) bytecode
	$(PYTHON) benchmarks/bench_build.py

# Compile the tool's modules once. Python caches them itself, except where
# PYTHONDONTWRITEBYTECODE is set (some CI machines): then every run compiled them again.
bytecode: $(STAMP)
	$(PYTHON) -m compileall -q handoutkit

# Pictures of each format for the README (docs/previews/).
previews: $(STAMP) $(FONTS)
	$(PYTHON) -m pip install --quiet -e '.[previews]'
	$(PYTHON) scripts/make_previews.py

# The font families not in git, from npm at the versions and checksums pinned in
# handoutkit/config.py (about 61 MB; see README, "Fonts"). Fetched again when a pin changes.
fonts $(FONTS): handoutkit/config.py scripts/fetch_fonts.py | $(STAMP)
	$(PYTHON) scripts/fetch_fonts.py
	touch $(FONTS)

# Install the exact versions, checked by hash, that requirements.lock pins (layout, page
# budgets and byte-identical PDFs depend on them); re-install when the lock changes.
$(STAMP): pyproject.toml requirements.lock
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --require-hashes -r requirements.lock
	$(PYTHON) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Pin what pyproject.toml asks for with its hashes in requirements.lock (see README,
# "Dependencies"): `make lock` after adding or changing a dependency keeps every other pin
# as it is; `make upgrade` moves every pin to the newest release pyproject.toml allows.
# Then run make test and make bench.
LOCK := pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-find-links --extra test --output-file requirements.lock pyproject.toml
lock: $(STAMP)
	$(PYTHON) -m pip install --quiet pip-tools
	$(VENV)/bin/$(LOCK)

upgrade: $(STAMP)
	$(PYTHON) -m pip install --quiet pip-tools
	$(VENV)/bin/$(LOCK) --upgrade

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV) styles/fonts/fetched
