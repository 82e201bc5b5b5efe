# The course kit's commands. Each bootstraps .venv on first use, so a fresh
# machine needs nothing but Python 3 and git:
#   make lab    open the course in JupyterLab
#   make test   run every test (CI runs exactly this)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# JupyterLab reads this from the environment's prefix: widget state is saved
# into the notebook and autosave is on, so a student's answers travel with it.
OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
START  ?= release/00-start-here/00-start-here.ipynb
LAB_PORT ?= 8888
# The JupyterLite site: which notebooks it carries, where it goes, and where the
# downloaded artefacts are kept between builds (versions: autograder/publish/lite/pins.py).
LITE_SOURCE ?= release
LITE_SITE   ?= site
LITE_CACHE  ?= .lite-cache

.PHONY: lab test lint bench release student-copy self-paced-copy system-deps clean help lite lite-fetch

help:
	@echo "make lab      open the course in JupyterLab"
	@echo "make test     run the whole test suite"
	@echo "make lint     ruff and mypy"
	@echo "make bench    benchmarks (ratios against a baseline measured in the same run)"
	@echo "make release  regenerate release/ from source/ with nbgrader"
	@echo "make student-copy DEST=../itil-svc-student"
	@echo "             a copy for students: release/, course/, binder/; no keys"
	@echo "make self-paced-copy DEST=../itil-svc-self-paced"
	@echo "             the student copy with a verdict on every graded question (sealed keys)"
	@echo "make lite     the course as a static JupyterLite site in site/ (LITE_SOURCE=release)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

$(OVERRIDES): binder/overrides.json $(STAMP)
	@mkdir -p $(dir $@)
	cp binder/overrides.json $@

lab: $(STAMP) $(OVERRIDES)
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) \
		--LabApp.default_url=/lab/tree/$(START) $(if $(filter 0,$(shell id -u)),--allow-root)

# Debian packages the tests need, installed only where missing and we may (root):
# chromium (browser tests), bubblewrap (the grading sandbox), npm (the course site's
# build, JupyterHub's proxy for the hub test), postgresql (a throw-away gradebook
# server for the PostgreSQL tests) and python3-venv (the hub test installs
# the kit for all users from the system's python3). Only the missing ones are asked
# for (npm conflicts with a NodeSource nodejs that ships it). Without them, the tests
# that need them skip, except under CI=true. linux-libc-dev: the kernel's system
# call table that the seccomp test checks against.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium fonts-dejavu-core"; \
	command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	{ [ ! -x /usr/bin/python3 ] || /usr/bin/python3 -c 'import ensurepip' 2>/dev/null; } || missing="$$missing python3-venv"; \
	[ -f /usr/include/asm-generic/unistd.h ] || missing="$$missing linux-libc-dev"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's$$missing for the tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# Downloads (pip, npm) into $(LITE_CACHE): the only step of the site that uses the network.
lite-fetch: $(STAMP)
	$(BIN)/python -m autograder.publish.lite --cache $(LITE_CACHE) fetch

# The site, from the cache alone: serve $(LITE_SITE)/ with any static web server.
lite: lite-fetch
	$(BIN)/python -m autograder.publish.lite --cache $(LITE_CACHE) build --source $(LITE_SOURCE) --out $(LITE_SITE)

test: $(STAMP) $(OVERRIDES) system-deps
	@$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; fi; \
	exit $$rc

lint: $(STAMP)
	$(BIN)/ruff check course autograder tests
	$(BIN)/ruff format --check course autograder tests
	$(BIN)/mypy

bench: $(STAMP) $(OVERRIDES) system-deps
	@if ls tests/bench/bench_*.py >/dev/null 2>&1; then \
		for b in tests/bench/bench_*.py; do $(BIN)/python $$b || exit 1; done; \
	else echo "no benchmarks yet"; fi

release: $(STAMP)
	$(BIN)/python -m autograder release

# What students get (release/, the course package, binder/), never source/ or the
# grader: publish DEST as a repository of its own (see README, "For instructors").
student-copy: $(STAMP)
	@test -n "$(DEST)" || { echo "usage: make student-copy DEST=../itil-svc-student" >&2; exit 2; }
	$(BIN)/python -m autograder student-copy "$(DEST)"

# The student copy for learners without an instructor: every graded question
# answers at once from sealed keys (see README, "For instructors").
self-paced-copy: $(STAMP)
	@test -n "$(DEST)" || { echo "usage: make self-paced-copy DEST=../itil-svc-self-paced" >&2; exit 2; }
	$(BIN)/python -m autograder self-paced-copy "$(DEST)"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
