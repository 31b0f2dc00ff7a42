# Two entry points for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Every package and its hashes, as tested (Linux, Python 3.11). pyproject.toml keeps the
# open ranges for those who install funnelbot as a library; `make lock` re-resolves.
LOCK := requirements.lock
TOOLS := .venv-tools
PIP_COMPILE := $(TOOLS)/bin/pip-compile --quiet --generate-hashes --extra test --strip-extras \
	--allow-unsafe --no-emit-index-url --no-emit-find-links --output-file $(LOCK) pyproject.toml

.PHONY: demo test lint install lock lock-upgrade clean

# A changed lock (or pyproject.toml) installs again.
$(STAMP): $(LOCK) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --requirement $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/funnelbot demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -n 2 -q

$(TOOLS)/bin/pip-compile:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet 'pip-tools>=7.4,<8'

# After a change to the dependencies of pyproject.toml: the new ones resolved, the other
# pins kept.
lock: $(TOOLS)/bin/pip-compile
	$(PIP_COMPILE)

# Every package to the newest version pyproject.toml allows (then `make test`).
lock-upgrade: $(TOOLS)/bin/pip-compile
	$(PIP_COMPILE) --upgrade

clean:
	rm -rf $(VENV) $(TOOLS) funnelbot.db funnelbot.db-wal funnelbot.db-shm
