# Two commands do all set-up on a fresh machine with python3 (3.11+) and make:
#   make site   build the website from content/ into site/
#   make test   run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve check test clean bench publish

# Debian/Ubuntu ship venv's pip bootstrap (ensurepip) in a separate package: say which one to
# install instead of failing half-way with a raw error (and leaving a .venv without pip).
VENV_HINT = echo "Lỗi: $(PYTHON) không tạo được môi trường ảo .venv (thiếu mô-đun venv/ensurepip)." >&2; \
	echo "    → Cách sửa (Debian/Ubuntu): sudo apt install python3-venv (hoặc $$($(PYTHON) -c 'import sys; print(f"python3.{sys.version_info[1]}-venv")' 2>/dev/null || echo python3-venv)), rồi chạy lại lệnh make." >&2

$(BIN)/python:
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { $(VENV_HINT); exit 1; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); $(VENV_HINT); exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

check: $(VENV)/.installed
	$(BIN)/cchc check

# `cchc build` builds into a temporary folder and replaces site/ only when the build is
# complete (an error or Ctrl-C leaves the previous site/ as it was). SITE_ENGINE=properdocs builds
# with ProperDocs instead of MkDocs.
SITE_ENGINE ?= mkdocs
site: $(VENV)/.installed
	$(BIN)/cchc check
	$(BIN)/cchc build --quiet --engine $(SITE_ENGINE)

# Sends the last complete `make site` build to the web server of extra.cchc.publish (mkdocs.yml):
# a new release, switched live in one step, checked byte for byte (see docs/huong-dan.md).
# PUBLISH_ARGS=--dry-run lists what would change; PUBLISH_ARGS=--rollback goes back one release.
publish: $(VENV)/.installed
	$(BIN)/cchc publish $(PUBLISH_ARGS)

# The preview starts even when the content has errors: every page then shows them in a panel.
serve: $(VENV)/.installed
	-$(BIN)/cchc check
	$(BIN)/cchc serve

test: $(VENV)/.installed-test
	bash scripts/ensure-test-tools.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmark against Material's blog plugin (see notes/performance.md). Options go in
# BENCH_ARGS, e.g. make bench BENCH_ARGS="--sizes 300,1000 --repeat 3" or BENCH_ARGS=--quick
$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	@touch $@

# The search-download measurement drives Chromium (Playwright + Debian's chromium, as the tests).
bench: $(VENV)/.installed-bench $(VENV)/.installed-test
	bash scripts/ensure-test-tools.sh
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf site .cache
