# The README's two commands: `make run` (set up, then the main job) and `make test`; `make app`
# serves the what-if page.
# Both create .venv with a Python 3.12+ found on this machine (PYTHON=... to choose one).

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Test processes (pytest-xdist): the suite's tests run one file per worker, so a 2-core machine
# runs two at once (TEST_WORKERS=0 runs it in one process).
TEST_WORKERS ?= 2

.PHONY: run test lint bench profile lab app clean venv

run: $(STAMP)
	$(PY) -m model compare policy_2022 --against baseline

test: $(STAMP)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

lint: $(STAMP)
	$(PY) -m ruff check model tests benchmarks

lab: $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,notebooks]'
	$(VENV)/bin/jupyter lab notebooks/01_quick_start.ipynb

# The what-if page for planners, at http://localhost:8765 (PORT=... to choose another).
app: $(STAMP)
	$(PY) -m pip install --quiet -e '.[app]'
	$(VENV)/bin/solara run model.app.page --production

bench: $(STAMP)
	PYTHONPATH=. $(PY) benchmarks/table.py

# Where the time goes: stages and the functions with the most time of their own, at 1:50
# (SCALE=1 for the full city to 2023-12).
SCALE ?= 0.02
profile: $(STAMP)
	PYTHONPATH=. $(PY) benchmarks/profiles.py --scale $(SCALE)

venv: $(STAMP)

# Find an interpreter >= 3.12: $PYTHON, then python3.14 .. python3 on the PATH, then pyenv's
# installed versions (whose shims fail unless the version is selected).
$(VENV)/bin/python:
	@ok() { "$$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }; \
	py=""; \
	for c in "$$PYTHON" python3.14 python3.13 python3.12 python3; do \
	  [ -n "$$c" ] && ok "$$c" && { py="$$c"; break; }; \
	done; \
	if [ -z "$$py" ] && command -v pyenv >/dev/null 2>&1; then \
	  for v in $$(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])(\.[0-9]+)?$$' | sort -V); do \
	    c="$$(pyenv root)/versions/$$v/bin/python3"; \
	    ok "$$c" && { py="$$c"; break; }; \
	  done; \
	fi; \
	if [ -z "$$py" ]; then echo "error: no Python 3.12 or newer found; install one or run 'make PYTHON=/path/to/python3.12'" >&2; exit 1; fi; \
	echo "creating $(VENV) with $$py ($$("$$py" --version))"; \
	"$$py" -m venv $(VENV)

$(STAMP): $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache
