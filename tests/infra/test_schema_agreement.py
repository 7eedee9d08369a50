"""The tables in the synthesized template agree with the PynamoDB models: keys,
attribute types, index names, index keys, projections and TTL.

The stack builds its tables from the models, so this reads both sides another way
(the models through their attributes and index classes, the template as
CloudFormation JSON) and compares them. The tests that mutate a model or the
template show the comparison notices a change on either side.
"""

import copy

import pytest
from pynamodb.attributes import TTLAttribute
from pynamodb.indexes import GlobalSecondaryIndex, Index, KeysOnlyProjection

from chalicelib.storage.models import MODELS, ComplaintItem, StageQueueIndex


def model_shape(model) -> dict:
    attributes = model.get_attributes().values()
    indexes = [v for v in vars(model).values() if isinstance(v, Index)]
    key_types = {a.attr_name: a.attr_type for a in attributes if a.is_hash_key or a.is_range_key}
    shape_indexes = {}
    for index in indexes:
        index_attributes = index.Meta.attributes.values()
        key_types |= {a.attr_name: a.attr_type for a in index_attributes}
        projection = index.Meta.projection
        shape_indexes[index.Meta.index_name] = {
            "kind": "global" if isinstance(index, GlobalSecondaryIndex) else "local",
            "key": key_of(index_attributes),
            "projection": projection.projection_type,
            "non_key_attributes": sorted(getattr(projection, "non_key_attributes", None) or []),
        }
    ttl = [a.attr_name for a in attributes if isinstance(a, TTLAttribute)]
    return {
        "key": key_of(attributes),
        "attribute_types": key_types,
        "indexes": shape_indexes,
        "ttl": ttl[0] if ttl else None,
    }


def key_of(attributes) -> dict:
    return {
        "HASH": next((a.attr_name for a in attributes if a.is_hash_key), None),
        "RANGE": next((a.attr_name for a in attributes if a.is_range_key), None),
    }


def template_shape(properties: dict) -> dict:
    indexes = {}
    for kind, name in (("global", "GlobalSecondaryIndexes"), ("local", "LocalSecondaryIndexes")):
        for index in properties.get(name, []):
            indexes[index["IndexName"]] = {
                "kind": kind,
                "key": cfn_key(index["KeySchema"]),
                "projection": index["Projection"]["ProjectionType"],
                "non_key_attributes": sorted(index["Projection"].get("NonKeyAttributes", [])),
            }
    ttl = properties.get("TimeToLiveSpecification", {})
    return {
        "key": cfn_key(properties["KeySchema"]),
        "attribute_types": {
            d["AttributeName"]: d["AttributeType"] for d in properties["AttributeDefinitions"]
        },
        "indexes": indexes,
        "ttl": ttl.get("AttributeName") if ttl.get("Enabled") else None,
    }


def cfn_key(key_schema: list[dict]) -> dict:
    key = {"HASH": None, "RANGE": None}
    key |= {k["KeyType"]: k["AttributeName"] for k in key_schema}
    return key


def schema_differences(template: dict, table_prefix: str) -> list[str]:
    """One line per disagreement between the template's tables and the models."""
    tables = {
        r["Properties"]["TableName"]: r["Properties"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::DynamoDB::Table"
    }
    differences = []
    expected_names = {f"{table_prefix}-{suffix}": model for suffix, model in MODELS.items()}
    for name in sorted(set(tables) ^ set(expected_names)):
        side = "template" if name in tables else "models"
        differences.append(f"{name}: only in the {side}")
    for name, model in expected_names.items():
        if name not in tables:
            continue
        deployed, modelled = template_shape(tables[name]), model_shape(model)
        for part in ("key", "attribute_types", "ttl"):
            if deployed[part] != modelled[part]:
                differences.append(
                    f"{name} {part}: {deployed[part]} deployed, {modelled[part]} modelled"
                )
        for index in sorted(set(deployed["indexes"]) | set(modelled["indexes"])):
            a, b = deployed["indexes"].get(index), modelled["indexes"].get(index)
            if a != b:
                differences.append(f"{name} index {index}: {a} deployed, {b} modelled")
    return differences


def test_every_stage_synthesizes_the_tables_the_models_describe(synthesized):
    for synth in synthesized.values():
        assert schema_differences(synth.template, synth.stage.table_prefix) == []


def test_a_renamed_model_index_is_reported(prod, monkeypatch):
    monkeypatch.setattr(StageQueueIndex.Meta, "index_name", "stage-queue-v2")

    differences = schema_differences(prod.template, "saber-prod")

    assert differences == [
        "saber-prod-complaints index stage-queue: "
        "{'kind': 'global', 'key': {'HASH': 'stage_queue', 'RANGE': 'received_at'}, "
        "'projection': 'ALL', 'non_key_attributes': []} deployed, None modelled",
        "saber-prod-complaints index stage-queue-v2: None deployed, "
        "{'kind': 'global', 'key': {'HASH': 'stage_queue', 'RANGE': 'received_at'}, "
        "'projection': 'ALL', 'non_key_attributes': []} modelled",
    ]


def test_a_changed_model_projection_is_reported(prod, monkeypatch):
    monkeypatch.setattr(StageQueueIndex.Meta, "projection", KeysOnlyProjection())

    differences = schema_differences(prod.template, "saber-prod")

    assert len(differences) == 1
    assert "index stage-queue" in differences[0] and "KEYS_ONLY" in differences[0]


def test_a_changed_index_key_in_the_template_is_reported(prod):
    template = copy.deepcopy(prod.template)
    complaints = next(
        r["Properties"]
        for r in template["Resources"].values()
        if r["Properties"].get("TableName") == "saber-prod-complaints"
    )
    stage_queue = next(
        i for i in complaints["GlobalSecondaryIndexes"] if i["IndexName"] == "stage-queue"
    )
    stage_queue["KeySchema"][1]["AttributeName"] = "updated_at"

    differences = schema_differences(template, "saber-prod")

    assert len(differences) == 1
    assert "index stage-queue" in differences[0] and "updated_at" in differences[0]


@pytest.mark.parametrize("model", [m for m in MODELS.values() if m is not ComplaintItem])
def test_a_missing_table_is_reported(prod, model):
    template = copy.deepcopy(prod.template)
    template["Resources"] = {
        k: v
        for k, v in template["Resources"].items()
        if v.get("Properties", {}).get("TableName") != f"saber-prod-{model_suffix(model)}"
    }

    assert schema_differences(template, "saber-prod") == [
        f"saber-prod-{model_suffix(model)}: only in the models"
    ]


def model_suffix(model) -> str:
    return next(suffix for suffix, m in MODELS.items() if m is model)
