# The two commands people run are `make demo` and `make test`; both set up first.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Debian packages: headless UI, fonts, serial/PC-SC/QR emulation, speech (see docs/ARCHITECTURE.md).
APT_PACKAGES := python3-venv python3-dev gcc xvfb xauth libgl1-mesa-dri libgl1 libegl1 libgles2 \
	libmtdev1 fonts-wqy-microhei socat pcscd libpcsclite-dev swig vsmartcard-vpcd libzbar0 \
	espeak-ng sox systemd cups-daemon cups-client cups-core-drivers printer-driver-cups-pdf \
	librime1 rime-data-pinyin-simp libzinnia0 tegaki-zinnia-simplified-chinese

.PHONY: setup apt demo test fuzz bench tour hardening soak
.DEFAULT_GOAL := test

setup: apt $(STAMP)

apt:
	@scripts/apt-ensure $(APT_PACKAGES)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $@

demo: setup
	scripts/demo

tour: setup
	$(PY) scripts/tour

test: setup
	scripts/run-tests

# every property-based (hypothesis) test at 10,000 examples each
fuzz: setup
	HYPOTHESIS_PROFILE=fuzz scripts/run-tests -m hypothesis -p no:cacheprovider

# Chromium only for the browser-kiosk comparison in bench_browser.py
bench: setup
	@scripts/apt-ensure chromium
	$(PY) scripts/bench

# the hardening suites at full size (device floods 4 MiB each, every fault, the lockdown subprocess)
hardening: setup
	HARDENING_FLOOD_CHUNKS=64 scripts/run-tests tests/hardening -m "" -p no:cacheprovider

# 1,000 citizen sessions through the real app under Xvfb: RSS growth, threads, file descriptors
soak: setup
	env -u DISPLAY $(PY) scripts/soak.py --sessions 1000
