# `make run` and `make test` work on a fresh machine with only python3 (>= 3.11): they create
# .venv, install what is needed into it, and (with no database configured) start an embedded
# PostgreSQL under .liputan/.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run demo test browser lint install install-dev clean clean-data

run: $(VENV)/.installed-run
	$(BIN)/liputan run

# A local demo web (four outlets, three events) crawled, cleaned, loaded and grouped into
# stories; no internet needed (demo/).
demo: $(VENV)/.installed-run
	$(BIN)/python -m demo

test: $(VENV)/.installed-dev browser
	rm -rf .pytest-tmp
	$(BIN)/python -m pytest --basetemp=.pytest-tmp

# The browser tests (render: browser, the HTML report) need a Chromium: Debian's package,
# installed when we may (root, apt-get); without it those tests are skipped, saying why.
browser:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
	    || [ -n "$$LIPUTAN_CHROMIUM" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    (timeout 600 apt-get install -y -q chromium >/dev/null 2>&1 \
	     || (timeout 300 apt-get update -q >/dev/null 2>&1 \
	         && timeout 600 apt-get install -y -q chromium >/dev/null 2>&1)) \
	    || echo "chromium could not be installed: the browser tests will be skipped"; \
	else echo "no chromium: the browser tests will be skipped"; fi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check crawler dags tests bench

install: $(VENV)/.installed-run
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# The stamps depend on pyproject.toml, so a changed dependency list reinstalls.
$(VENV)/.installed-run: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e '.[dev]'
	touch $@ $(VENV)/.installed-run

# The data (the embedded database under .liputan/) goes only with `make clean-data`.
clean:
	rm -rf $(VENV) .pytest_cache .pytest-tmp .hypothesis .ruff_cache build *.egg-info

clean-data:
	rm -rf .liputan
