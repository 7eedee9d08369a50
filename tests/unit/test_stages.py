"""Deployable stages come from .chalice/config.json, the one place they are named."""

import json

import pytest

from infra.stages import Stage, StageError, deployable_stages, select_stages


def test_the_stages_that_name_their_tables_are_deployable_and_local_is_not():
    assert deployable_stages() == {
        "dev": Stage(app_name="saber", name="dev", table_prefix="saber-dev"),
        "prod": Stage(app_name="saber", name="prod", table_prefix="saber-prod"),
    }


def test_a_stage_added_to_the_chalice_config_is_deployable(tmp_path):
    config = {
        "app_name": "saber",
        "stages": {"staging": {"environment_variables": {"SABER_TABLE_PREFIX": "saber-stg"}}},
    }
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))

    (stage,) = select_stages("staging", path)

    assert stage.table_name("complaints") == "saber-stg-complaints"
    assert stage.stack_name == "saber-staging"
    assert stage.resource_name("sms-in") == "saber-staging-sms-in"


def test_without_a_stage_every_deployable_stage_is_synthesized():
    assert [s.name for s in select_stages(None)] == ["dev", "prod"]


def test_asking_for_a_stage_that_is_not_deployable_names_the_ones_that_are():
    with pytest.raises(StageError, match=r"'local' is not deployable.*dev, prod"):
        select_stages("local")
