# Every target creates and fills .venv on its own, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The infrastructure tools (CDK, cdk-nag, cfn-lint) join the same venv on first use
# of an infra target; the Lambda package never contains them.
INFRA_STAMP := $(VENV)/.installed-infra
CDK_OUT := infra/cdk.out

.PHONY: run test lint unit integration e2e bench clean synth infra-test package

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

$(INFRA_STAMP): $(STAMP) requirements-infra.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-infra.txt
	touch $(INFRA_STAMP)

run: $(STAMP)
	$(PY) scripts/run_local.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

unit: $(STAMP)
	$(PY) -m pytest tests/unit

integration: $(STAMP)
	$(PY) -m pytest tests/integration

e2e: $(STAMP)
	$(PY) -m pytest tests/e2e

test: lint $(STAMP)
	$(PY) -m pytest tests

bench: $(STAMP)
	$(PY) scripts/bench.py
	$(PY) scripts/bench_package.py

# CloudFormation for every deployable stage in infra/cdk.out; fails on a cdk-nag
# AwsSolutions finding without an acknowledged reason, then on any cfn-lint finding.
synth: $(INFRA_STAMP)
	rm -rf $(CDK_OUT) chalice.out
	$(PY) infra/cdk_app.py
	rm -rf chalice.out
	$(VENV)/bin/cfn-lint $(CDK_OUT)/*.template.json
	@echo "cfn-lint: no findings"

infra-test: $(INFRA_STAMP)
	$(PY) -m pytest --infra tests/infra

# The Lambda deployment package (chalice package, prod stage) in build/lambda/.
package: $(STAMP)
	$(PY) scripts/lambda_package.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build chalice.out $(CDK_OUT)
