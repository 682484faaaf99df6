# The two commands of the README: `make demo` (the main job) and `make test`.
# Both set everything up on a fresh machine: the .venv with the package, and, as root, the Debian packages.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEBS := postgresql chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core poppler-utils
PYTEST_ARGS ?= -n 2

.PHONY: demo test fast lint typecheck system-deps venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# Debian packages the tests need: the PostgreSQL server, Chromium, WeasyPrint's libraries and Cyrillic fonts.
system-deps:
	@if [ "$$(id -u)" = "0" ]; then \
	  missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  fi; \
	else echo "not root: assuming the Debian packages ($(DEBS)) are installed"; fi

lint: venv
	$(BIN)/ruff check $(wildcard src tests benchmarks)
	$(BIN)/ruff format --check $(wildcard src tests benchmarks)

typecheck: venv
	$(BIN)/mypy

test: system-deps venv lint typecheck
	$(BIN)/pytest $(PYTEST_ARGS)

# The fast part alone, for a developer's loop.
fast: venv
	$(BIN)/pytest $(PYTEST_ARGS) -m "not slow and not postgres and not browser"

demo: venv
	$(BIN)/prevdip demo

clean:
	rm -rf $(VENV) workspace
