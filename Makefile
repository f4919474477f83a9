# Tessera CRM. The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench lock messages check clean-local

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $(STAMP)

run: $(STAMP)
	$(PY) -m config.devstack run

test: $(STAMP)
	$(PY) -m config.devstack test $(ARGS)

bench: $(STAMP)
	$(PY) -m config.devstack bench

# Regenerate the lock file after changing dependencies in pyproject.toml.
lock:
	$(PY) -m pip install --quiet pip-tools
	$(PY) -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras \
		--no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
		--extra dev --output-file requirements.lock pyproject.toml

# Refresh the Bulgarian catalogue after changing UI strings, then translate and compile.
messages: $(STAMP)
	$(PY) manage.py makemessages -l bg --no-obsolete --ignore '.venv/*' --ignore '.local/*' --ignore 'tests/*' --ignore 'bench/*'
	$(PY) manage.py makemessages -d djangojs -l bg --no-obsolete --ignore '.venv/*' --ignore '.local/*' --ignore 'staticfiles/*'
	$(PY) manage.py compilemessages -l bg --ignore '.venv/*'

clean-local:
	rm -rf .local
