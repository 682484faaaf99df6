# The two commands of the README: `make demo` (the main job) and `make test`.
# Both set everything up on a fresh machine: the .venv with the package, and, as root, the Debian packages.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The brief's PDF needs WeasyPrint's libraries and fonts that cover Cyrillic; the tests also need PostgreSQL,
# Chromium and poppler's pdftotext.
DEMO_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
DEBS := $(DEMO_DEBS) postgresql chromium poppler-utils
PYTEST_ARGS ?= -n 2

.PHONY: demo test fast lint typecheck system-deps demo-deps venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# Install the Debian packages in $(1) that are missing (as root; otherwise assume they are there).
define debian_packages
	@if [ "$$(id -u)" = "0" ]; then \
	  missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  fi; \
	else echo "not root: assuming the Debian packages ($(1)) are installed"; fi
endef

system-deps:
	$(call debian_packages,$(DEBS))

demo-deps:
	$(call debian_packages,$(DEMO_DEBS))

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

demo: demo-deps venv
	$(BIN)/prevdip demo

clean:
	rm -rf $(VENV) workspace
