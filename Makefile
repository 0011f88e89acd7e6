PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv run test bench clean

# Idempotent: re-installs only when pyproject.toml changed since the last install.
venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: venv
	$(BIN)/dx10 chat

test: venv
	$(BIN)/python -m pytest -q

bench: venv
	$(BIN)/python bench/nlu.py
	$(BIN)/python bench/slack_http.py
	$(BIN)/python bench/nudges.py

clean:
	rm -rf $(VENV) build *.egg-info
