"""Infrastructure tests: the CDK app is synthesized once per session, for every
deployable stage, with cdk-nag's checks applied (synthesis fails on a finding)."""

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from infra.cdk_app import build_app
from infra.stages import Stage, deployable_stages

JWKS_URL = (
    "https://cognito-idp.ap-southeast-3.amazonaws.com/ap-southeast-3_Example/.well-known/jwks.json"
)


@dataclass(frozen=True)
class Synthesized:
    stage: Stage
    template: dict

    def resources(self, type_: str) -> dict[str, dict]:
        return {k: v for k, v in self.template["Resources"].items() if v["Type"] == type_}

    def resource(self, logical_id: str) -> dict:
        return self.template["Resources"][logical_id]


@pytest.fixture(scope="session")
def synthesized(tmp_path_factory) -> dict[str, Synthesized]:
    """Every stage's template. Packaging imports the app with the stage's environment
    and writes under the working directory, so both are restored afterwards."""
    workdir = tmp_path_factory.mktemp("synth")
    environment, cwd = dict(os.environ), Path.cwd()
    os.chdir(workdir)
    try:
        app = build_app(str(workdir / "cdk.out"), context={"jwks_url": JWKS_URL})
        assembly = app.synth()
    finally:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(environment)
    stages = deployable_stages()
    return {
        stack.stack_name: Synthesized(
            stage=next(s for s in stages.values() if s.stack_name == stack.stack_name),
            template=json.loads(Path(stack.template_full_path).read_text()),
        )
        for stack in assembly.stacks
    }


@pytest.fixture(scope="session")
def prod(synthesized) -> Synthesized:
    return synthesized["saber-prod"]
