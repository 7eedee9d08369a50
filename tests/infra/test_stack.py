"""The synthesized stack: tables, functions and their roles, schedules, topics,
dead letters, alarms and API Gateway's own answers."""

import importlib
import json

import pytest
from aws_cdk.assertions import Match, Template

from chalicelib.storage.models import MODELS
from infra.access import API_FUNCTION, FUNCTION_ACCESS, HOURLY_SWEEP, granted
from infra.stack import chalice_functions
from tests.infra.conftest import JWKS_URL

FUNCTIONS = chalice_functions()
EVENT_HANDLERS = [f for f in FUNCTIONS if f.is_event_handler]


def template_of(synthesized) -> Template:
    return Template.from_json(synthesized.template)


def function_resource(synthesized, name: str) -> dict:
    function = next(f for f in FUNCTIONS if f.name == name)
    return synthesized.resource(function.logical_id)


def role_statements(synthesized, function_name: str) -> list[dict]:
    role_ref = function_resource(synthesized, function_name)["Properties"]["Role"]
    role = synthesized.resource(role_ref["Fn::GetAtt"][0])
    return [
        statement
        for policy in role["Properties"]["Policies"]
        for statement in policy["PolicyDocument"]["Statement"]
    ]


def as_list(value) -> list:
    return value if isinstance(value, list) else [value]


# -- tables ---------------------------------------------------------------------


def test_every_stage_gets_its_tables_named_from_its_prefix_in_the_chalice_config(synthesized):
    for synth in synthesized.values():
        names = {
            t["Properties"]["TableName"] for t in synth.resources("AWS::DynamoDB::Table").values()
        }
        assert names == {f"{synth.stage.table_prefix}-{suffix}" for suffix in MODELS}


def test_every_table_is_on_demand_recoverable_protected_and_encrypted(prod):
    template = template_of(prod)

    template.resource_count_is("AWS::DynamoDB::Table", len(MODELS))
    template.all_resources_properties(
        "AWS::DynamoDB::Table",
        {
            "BillingMode": "PAY_PER_REQUEST",
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "DeletionProtectionEnabled": True,
            "SSESpecification": {"SSEEnabled": True},
        },
    )


def test_tables_are_kept_when_the_stack_is_deleted(prod):
    template_of(prod).all_resources(
        "AWS::DynamoDB::Table", {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"}
    )


def test_idempotency_records_expire_through_ttl_and_nothing_else_does(prod):
    template = template_of(prod)

    template.has_resource_properties(
        "AWS::DynamoDB::Table",
        {
            "TableName": "saber-prod-idempotency",
            "TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": True},
        },
    )
    with_ttl = template.find_resources(
        "AWS::DynamoDB::Table", {"Properties": {"TimeToLiveSpecification": Match.any_value()}}
    )
    assert len(with_ttl) == 1


# -- functions, roles, schedules -------------------------------------------------


def test_the_app_schedules_are_deployed_as_written_in_app_py(prod):
    app = importlib.import_module("app").app
    for source in app.event_sources:
        if not hasattr(source, "schedule_expression"):
            continue
        function = function_resource(prod, source.name)
        (event,) = function["Properties"]["Events"].values()
        assert event == {
            "Type": "Schedule",
            "Properties": {"Schedule": source.schedule_expression.to_string()},
        }


def test_each_function_has_a_role_of_its_own_and_chalice_makes_none(prod):
    roles = {json.dumps(function_resource(prod, f.name)["Properties"]["Role"]) for f in FUNCTIONS}

    assert len(roles) == len(FUNCTIONS)
    assert "DefaultRole" not in prod.template["Resources"]


def test_no_policy_grants_a_dynamodb_wildcard_action_or_resource(prod):
    for function in FUNCTIONS:
        for statement in role_statements(prod, function.name):
            actions = as_list(statement["Action"])
            assert "*" not in actions and "dynamodb:*" not in actions
            if any(a.startswith("dynamodb:") for a in actions):
                assert "*" not in as_list(statement["Resource"])


def test_each_role_grants_exactly_the_dynamodb_access_declared_for_its_function(prod):
    tables = {
        logical_id: next(s for s in MODELS if props["Properties"]["TableName"].endswith(f"-{s}"))
        for logical_id, props in prod.resources("AWS::DynamoDB::Table").items()
    }
    for function in FUNCTIONS:
        found = set()
        for statement in role_statements(prod, function.name):
            for action in as_list(statement["Action"]):
                if not action.startswith("dynamodb:"):
                    continue
                for resource in as_list(statement["Resource"]):
                    found.add(
                        (action.removeprefix("dynamodb:"), *table_and_index(resource, tables))
                    )
        assert found == granted(FUNCTION_ACCESS[function.name]), function.name


def table_and_index(resource, tables: dict[str, str]) -> tuple[str, str | None]:
    if "Fn::GetAtt" in resource:
        return tables[resource["Fn::GetAtt"][0]], None
    table_arn, suffix = resource["Fn::Join"][1]
    return tables[table_arn["Fn::GetAtt"][0]], suffix.removeprefix("/index/")


def test_functions_learn_the_identity_provider_and_the_sms_topics_from_the_stack(prod):
    template = template_of(prod)
    template.has_parameter("JwksUrl", {"Default": JWKS_URL, "AllowedPattern": "^https://\\S+$"})
    for function in FUNCTIONS:
        variables = function_resource(prod, function.name)["Properties"]["Environment"]["Variables"]
        assert variables["SABER_STAGE"] == "prod"
        assert variables["SABER_TABLE_PREFIX"] == "saber-prod"
        assert variables["SABER_JWKS_URL"] == {"Ref": "JwksUrl"}
        for name in ("SABER_SMS_IN_TOPIC_ARN", "SABER_SMS_OUT_TOPIC_ARN"):
            assert prod.resource(variables[name]["Ref"])["Type"] == "AWS::SNS::Topic"


# -- messaging and dead letters ----------------------------------------------------


def test_inbound_sms_is_subscribed_to_the_stacks_sms_in_topic(prod):
    (event,) = function_resource(prod, "inbound_sms")["Properties"]["Events"].values()

    assert event["Type"] == "SNS"
    assert prod.resource(event["Properties"]["Topic"]["Ref"])["Properties"]["TopicName"] == (
        "saber-prod-sms-in"
    )


def test_only_the_outbox_worker_may_send_sms(prod):
    for function in FUNCTIONS:
        publishes = [
            s for s in role_statements(prod, function.name) if "sns:Publish" in as_list(s["Action"])
        ]
        if function.name == "outbox_worker":
            (statement,) = publishes
            assert as_list(statement["Action"]) == ["sns:Publish"]
        else:
            assert publishes == [], function.name


def test_channel_secrets_are_parameters_that_are_never_echoed(prod):
    template = template_of(prod)
    for name in ("SmsGatewaySecret", "TwitterConsumerSecret"):
        template.has_parameter(name, {"NoEcho": True, "Default": ""})


def test_the_sms_topics_are_encrypted_named_per_stage_and_exported(prod):
    template = template_of(prod)
    for name in ("saber-prod-sms-in", "saber-prod-sms-out"):
        template.has_resource_properties(
            "AWS::SNS::Topic", {"TopicName": name, "KmsMasterKeyId": Match.any_value()}
        )
    template.has_output("SmsInTopicArn", {"Export": {"Name": "saber-prod-SmsInTopicArn"}})
    template.has_output("SmsOutTopicArn", {"Export": {"Name": "saber-prod-SmsOutTopicArn"}})
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


def test_failed_scheduled_invocations_go_to_an_encrypted_dead_letter_queue(prod):
    template = template_of(prod)
    (queue_id,) = template.find_resources(
        "AWS::SQS::Queue", {"Properties": {"SqsManagedSseEnabled": True}}
    )
    for function in EVENT_HANDLERS:
        dead_letters = function_resource(prod, function.name)["Properties"]["DeadLetterQueue"]
        assert dead_letters == {"Type": "SQS", "TargetArn": {"Fn::GetAtt": [queue_id, "Arn"]}}
        assert any(s["Action"] == "sqs:SendMessage" for s in role_statements(prod, function.name))
    assert "DeadLetterQueue" not in function_resource(prod, API_FUNCTION)["Properties"]


# -- alarms -------------------------------------------------------------------------


def alarms(prod) -> list[dict]:
    return [a["Properties"] for a in prod.resources("AWS::CloudWatch::Alarm").values()]


def test_every_function_alarms_on_any_error(prod):
    errors = {
        a["Dimensions"][0]["Value"]: a for a in alarms(prod) if a.get("MetricName") == "Errors"
    }
    assert set(errors) == {prod.stage.resource_name(f.name.replace("_", "-")) for f in FUNCTIONS}
    for alarm in errors.values():
        assert alarm["Threshold"] == 0
        assert alarm["ComparisonOperator"] == "GreaterThanThreshold"


def test_the_sweep_not_running_for_two_hours_alarms_even_without_data(prod):
    template_of(prod).has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "AWS/Lambda",
            "MetricName": "Invocations",
            "Dimensions": [
                {"Name": "FunctionName", "Value": "saber-prod-" + HOURLY_SWEEP.replace("_", "-")}
            ],
            "Statistic": "Sum",
            "Period": 3600,
            "EvaluationPeriods": 2,
            "Threshold": 1,
            "ComparisonOperator": "LessThanThreshold",
            "TreatMissingData": "breaching",
        },
    )


def test_a_message_in_the_dead_letter_queue_alarms(prod):
    template_of(prod).has_resource_properties(
        "AWS::CloudWatch::Alarm",
        {
            "Namespace": "AWS/SQS",
            "MetricName": "ApproximateNumberOfMessagesVisible",
            "Threshold": 0,
            "ComparisonOperator": "GreaterThanThreshold",
        },
    )


def test_every_alarm_notifies_the_alarm_topic(prod):
    (topic_id,) = template_of(prod).find_resources(
        "AWS::SNS::Topic", {"Properties": {"TopicName": "saber-prod-alarms"}}
    )
    for alarm in alarms(prod):
        assert alarm["AlarmActions"] == [{"Ref": topic_id}]


# -- API Gateway ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response_type", "status", "code"),
    [
        ("MISSING_AUTHENTICATION_TOKEN", "404", "not_found"),
        ("DEFAULT_4XX", None, "request_refused"),
        ("DEFAULT_5XX", None, "internal"),
    ],
)
def test_api_gateway_answers_in_the_service_error_shape(prod, response_type, status, code):
    responses = prod.resource("RestAPI")["Properties"]["GatewayResponses"]
    response = responses[response_type]
    # API Gateway substitutes a quoted string for the message variable.
    template = response["ResponseTemplates"]["application/json"]
    body = json.loads(template.replace("$context.error.messageString", '"Forbidden"'))

    assert response.get("StatusCode") == status
    assert body["error"]["code"] == code
    assert body["error"]["field"] is None
    assert isinstance(body["error"]["message"], str)
