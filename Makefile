# make lab: open the main lesson in JupyterLab.  make test: run every test.
# Both create .venv and install the project into it first (pinned by requirements-lock.txt).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LESSON := notebooks/backprop_computation_graph.ipynb
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with notebooks/nbval_sanitize.cfg

.PHONY: lab test install images notebooks bench lint clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements-lock.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements-lock.txt -e '.[test]'
	touch $(STAMP)

# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ROOT_FLAG) $(LESSON)

test: $(STAMP)
	$(BIN)/python -m pytest tests notebooks $(NBVAL)

images: $(STAMP)
	$(BIN)/python -m lab_utils_backprop images --out images
	$(BIN)/python -m lab_utils_backprop attach notebooks/*.ipynb

notebooks: $(STAMP)
	$(BIN)/python -m lab_utils_backprop restore notebooks/*.ipynb

bench: $(STAMP)
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

lint: $(STAMP)
	$(BIN)/ruff check lab_utils_backprop tests benchmarks
	$(BIN)/ruff format --check lab_utils_backprop tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
