# Two commands for a new reader of this repository: `make serve` and `make test`.
# Everything else (virtualenv, pinned Python and npm packages, the Pyodide bundle)
# is set up on the way, and only redone when its inputs change.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: serve test build bench links lock lint setup system-packages try-zensical clean

serve: setup  ## Build and serve the site at http://127.0.0.1:8000 with live reload.
	$(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

test: system-packages setup $(VENV)/.mod_wsgi  ## Run every test: snippets, lab, site, Pyodide, servers, browser.
	$(PY) -m pytest $(PYTEST_ARGS)

build: setup  ## Strict build of the static site into site/.
	$(PY) -m mkdocs build --strict --site-dir site

bench: system-packages setup $(VENV)/.mod_wsgi  ## Measure speed and accuracy; writes benchmarks/report/.
	@# Lighthouse, pinned in benchmarks/lighthouse/, for the bench only; reinstalled when its lock changes.
	@[ benchmarks/lighthouse/node_modules/.package-lock.json -nt benchmarks/lighthouse/package-lock.json ] \
	  || npm ci --prefix benchmarks/lighthouse --no-audit --no-fund --loglevel=error
	$(PY) -m benchmarks

links: setup  ## List external links (benchmarks/report/links.md) and check them; needs a network.
	$(PY) -m benchmarks.links --check

lint: setup
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

setup: $(VENV)/.installed node_modules/.installed build/.stamp

# chromium, Vietnamese fonts and PostgreSQL for the tests: found, installed, or named before
# anything runs. Listed first, so `make test` stops before a long setup.
system-packages:
	@scripts/system-packages

$(VENV)/.installed: requirements.lock scripts/find-python $(wildcard packages/*/pyproject.toml)
	@python=$$(scripts/find-python) || exit 1; \
	  [ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	  || { rm -rf $(VENV) && "$$python" -m venv $(VENV); }
	$(PY) -m pip install -qq --disable-pip-version-check --require-hashes -r requirements.lock
	@# The repository (for the MkDocs hook) and our own packages are importable from source.
	@{ echo "$(CURDIR)"; for dir in packages/*/; do if [ -d "$$dir" ]; then echo "$(CURDIR)/$$dir"; fi; done; } \
	  > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/wsgi-hay-asgi.pth"
	touch $@

# mod_wsgi compiles against Apache (scripts/system-packages): tests and benchmarks only.
$(VENV)/.mod_wsgi: $(VENV)/.installed requirements-apache.lock
	$(PY) -m pip install -qq --disable-pip-version-check --require-hashes -r requirements-apache.lock
	touch $@

node_modules/.installed: package.json package-lock.json scripts/check-node
	scripts/check-node
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The browser bundle (editor, runner, worker) and the self-hosted Pyodide with our wheels.
build/.stamp: $(VENV)/.installed node_modules/.installed $(shell find sitebuild browser packages -type f -not -path '*/__pycache__/*' 2>/dev/null)
	$(PY) -m sitebuild.bundle
	touch $@

lock:  ## Re-pin Python dependencies after editing requirements.in or requirements-apache.in.
	$(VENV)/bin/pip install --quiet pip-tools
	for name in requirements requirements-apache; do \
	  $(VENV)/bin/pip-compile --quiet --strip-extras --generate-hashes --no-emit-index-url \
	    --no-emit-find-links --no-header $$name.in -o $$name.lock || exit 1; \
	done

try-zensical:  ## Try the current Zensical on this site in build/; writes build/zensical-report.md.
	@scripts/try-zensical

clean:
	rm -rf $(VENV) node_modules build site .pytest_cache
