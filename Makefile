# tropexact: two commands on a fresh machine.
#   make test   set up .venv (system libs + package) and run the tests
#   make demo   set up, tropicalize the paper's Example C.2, verify its regions
#   make docs   the API reference and guides with Sphinx (docs/_build/html; a warning fails)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# The PyTorch CPU wheel on this machine's disk; a bare 'torch' would pull a multi-GB CUDA build.
TORCH  ?= torch==2.13.0

.PHONY: all setup sysdeps test test-all demo docs bench clean

all: test

# libcdd-dev and libgmp-dev come from apt; skipped when already present.
sysdeps:
	@missing=""; \
	for p in libcdd-dev libgmp-dev; do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing with apt-get"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml | sysdeps
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	CFLAGS="-I/usr/include/cdd $$CFLAGS" $(PY) -m pip install -q -e '.[dev,docs,dask,torch,onnx,plot,bench]' '$(TORCH)'
	touch $(STAMP)

setup: sysdeps $(STAMP)

# TROPEXACT_REQUIRE_EXTRAS: a missing torch/onnx/matplotlib fails the run instead of
# skipping the import and figure tests.
test: setup
	TROPEXACT_REQUIRE_EXTRAS=1 $(PY) -m pytest -q

# Everything, slow cases included.
test-all: setup
	TROPEXACT_REQUIRE_EXTRAS=1 $(PY) -m pytest -q -m "slow or not slow"

demo: setup
	$(VENV)/bin/tropexact tropicalize data/networks/zhang2018_example_c2.json
	$(VENV)/bin/tropexact verify data/networks/zhang2018_example_c2.json

# -E: a fresh build, so every warning of every page is seen (and fails the build)
docs: setup
	rm -rf docs/_build docs/api
	$(PY) -m sphinx -E -W --keep-going -q -b html docs docs/_build/html
	@echo "API reference and guides: docs/_build/html/index.html"

bench: setup
	$(PY) bench/scale.py --quick
	$(PY) bench/tropicalize.py
	$(PY) bench/regions.py
	$(PY) bench/mnist_slice.py
	$(PY) bench/maxout.py
	$(PY) bench/import_cnn.py
	$(PY) bench/verify.py
	$(PY) bench/checker.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info docs/_build docs/api
