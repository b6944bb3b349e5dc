# Two commands do all set-up on a fresh machine (Python 3.11+, no conda needed):
#   make lab    create .venv if needed and open the course in JupyterLab
#   make test   create .venv (with test tools) if needed and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LAB_FLAGS ?=

.PHONY: lab test lint bench validation clean help

help:
	@echo "make lab         open the course in JupyterLab (creates .venv on first use)"
	@echo "make test        run every test: lint, unit, property, validation, notebooks, browser"
	@echo "make bench       print the kinetics benchmark (median times and ratios)"
	@echo "make validation  print the model-versus-published validation table"
	@echo "make clean       remove .venv and caches"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.runtime-installed

# The course's server settings (jupyter_config/) come first on JUPYTER_CONFIG_PATH. Jupyter
# refuses to run as root unless told to: root is what containers and cloud workspaces give
# you, so --allow-root is added then (and only then).
lab: $(VENV)/.runtime-installed
	JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter_config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	$(BIN)/jupyter lab notebooks/00_start_here.ipynb \
		$$(if [ "$$(id -u)" = 0 ]; then echo --allow-root; fi) $(LAB_FLAGS)

test: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/bench_kinetics.py
	$(BIN)/python benchmarks/bench_explorer.py
	$(BIN)/python benchmarks/bench_trial.py
	$(BIN)/python benchmarks/browser_latency.py --notebook 03_plasma_exchange.ipynb --slider 'Volume per session (PV)' --plot '.course-explorer .js-plotly-plot'

validation: $(VENV)/.runtime-installed
	$(BIN)/python -m helpers.model_validation

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
