PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# axe-core for the dashboard's accessibility scan: a pinned copy from the npm registry in a cache
# folder (not vendored: 650 KB of minified MPL-2.0 code in the repo, and the pin says what we test with).
AXE_VERSION := 4.14.1
AXE_DIR := .cache/axe-core-$(AXE_VERSION)
AXE := $(AXE_DIR)/node_modules/axe-core/axe.min.js

.PHONY: venv run test bench clean browser

# Idempotent: re-installs only when pyproject.toml changed since the last install.
venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: venv
	$(BIN)/dx10 chat

test: venv browser
	$(BIN)/python -m mypy
	DX10_AXE_JS=$(AXE) $(BIN)/python -m pytest -q

# The browser test's tools: Debian's chromium (installed when missing and apt-get can run as root)
# and axe-core. Where neither is possible the browser test skips and says why; nothing else does.
browser: $(AXE)
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	      || echo "make browser: could not install chromium; the browser test will skip"; \
	  else echo "make browser: chromium is missing and apt-get cannot run as root here; the browser test will skip"; fi; }

$(AXE):
	@command -v npm >/dev/null 2>&1 && npm install --silent --no-save --no-audit --no-fund --prefix $(AXE_DIR) \
	  axe-core@$(AXE_VERSION) || echo "make browser: could not install axe-core; the browser test will skip"

bench: venv
	$(BIN)/python bench/nlu.py
	$(BIN)/python bench/slack_http.py
	$(BIN)/python bench/nudges.py
	$(BIN)/python bench/dashboard.py

clean:
	rm -rf $(VENV) build *.egg-info .cache
