# Two commands set everything up on a fresh machine:
#   make demo   create .venv, install, run the baseline ensemble, write an HTML report under results/
#   make test   create .venv, install, run the test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
REPLICATES ?= 10000

.PHONY: install demo test bench bench-quick browser clean-cache clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/escalate scenario=baseline replicates=$(REPLICATES) overwrite=true hydra.run.dir=results/demo/baseline
	@echo "Open results/demo/baseline/report.html in a browser."

# lint-imports checks the one-way dependencies between layers ([tool.importlinter] in pyproject.toml)
test: $(STAMP) browser
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

# Debian's Chromium renders static figures (kaleido) and runs the browser test (Playwright);
# neither may download a browser of its own.
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
browser:
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

# A smoke run of about 80 s (it still compiles once from an empty cache); its numbers go under results/, not over the full run's benchmarks/results.json.
bench-quick: $(STAMP)
	mkdir -p results
	$(BIN)/python -m benchmarks.run --quick --output results/bench-quick.json --plot results/bench-quick.html

# Compiled kernels live in one folder per version of the kernel's source (sim/engine/cache.py),
# so an edit never needs this; it frees the disk space of old versions.
CACHE_HOME ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)
clean-cache:
	rm -rf $(CACHE_HOME)/escalation-sim/numba
	find sim -name '*.nbi' -delete -o -name '*.nbc' -delete

clean: clean-cache
	rm -rf $(VENV) *.egg-info .pytest_cache
