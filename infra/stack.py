"""One stack per stage: the tables, the Chalice app with a role per function, the
SMS topics, the dead-letter queue and the alarms.

Tables are built from the PynamoDB models (`storage.models.table_definition`),
stage and table names from `.chalice/config.json` (`infra.stages`), and each
function's DynamoDB permissions from `infra.access`: nothing here restates them.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass

from aws_cdk import (
    Acknowledgment,
    CfnOutput,
    CfnParameter,
    Duration,
    RemovalPolicy,
    Stack,
    Validations,
)
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as cloudwatch_actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from chalice.cdk import Chalice
from chalice.utils import to_cfn_resource_name
from constructs import Construct

from chalicelib.storage.models import MODELS, table_definition
from infra.access import (
    API_FUNCTION,
    FUNCTION_ACCESS,
    HOURLY_SWEEP,
    INBOUND_SMS,
    OUTBOX_WORKER,
    TableAccess,
)
from infra.stages import ROOT, Stage

LOG_RETENTION = logs.RetentionDays.ONE_YEAR
DEAD_LETTER_RETENTION = Duration.days(14)

# The service's one error shape, for the answers API Gateway gives without calling
# the function. An unknown route is API Gateway's "Missing Authentication Token".
GATEWAY_ERRORS = {
    "MISSING_AUTHENTICATION_TOKEN": (404, "not_found", '"no such route"'),
    "DEFAULT_4XX": (None, "request_refused", "$context.error.messageString"),
    "DEFAULT_5XX": (None, "internal", '"an internal error occurred"'),
}


@dataclass(frozen=True)
class Function:
    """A Lambda function of the Chalice app, as `chalice package` names it."""

    name: str
    # Invoked asynchronously by an event (a schedule, later SNS): failures go to the
    # dead-letter queue. The API handler is invoked synchronously by API Gateway.
    is_event_handler: bool

    @property
    def logical_id(self) -> str:
        return "APIHandler" if self.name == API_FUNCTION else to_cfn_resource_name(self.name)


def chalice_functions() -> list[Function]:
    """The functions `chalice package` makes of app.py: the API handler, then one per
    scheduled (or other event) handler."""
    app = importlib.import_module("app").app
    functions = [Function(API_FUNCTION, is_event_handler=False)] if app.routes else []
    functions += [Function(source.name, is_event_handler=True) for source in app.event_sources]
    return functions


class SaberStack(Stack):
    def __init__(self, scope: Construct, stage: Stage) -> None:
        # The construct id is the Chalice stage: the Chalice construct packages the
        # app for the stage its scope is named after.
        super().__init__(
            scope,
            stage.name,
            stack_name=stage.stack_name,
            description=f"Saber complaint handling, stage {stage.name}",
            analytics_reporting=False,
        )
        self.stage = stage
        self.functions = chalice_functions()
        missing = {f.name for f in self.functions} ^ set(FUNCTION_ACCESS)
        if missing:
            raise ValueError(
                f"infra/access.py and app.py disagree on the functions {sorted(missing)}: "
                "every function needs its DynamoDB access declared, and only those"
            )

        self.tables = {suffix: self._table(suffix) for suffix in MODELS}
        key = self._messaging_key()
        self.sms_in = self._topic("SmsIn", "sms-in", key, "Inbound SMS to 1708")
        self.sms_out = self._topic("SmsOut", "sms-out", key, "Outbound SMS to reporters")
        self.alarm_topic = self._topic("Alarms", "alarms", key, "Saber alarms")
        self.sms_in.add_to_resource_policy(
            iam.PolicyStatement(
                sid="SmsServicePublishesInboundMessages",
                principals=[iam.ServicePrincipal("sms-voice.amazonaws.com")],
                actions=["sns:Publish"],
                resources=[self.sms_in.topic_arn],
                conditions={"StringEquals": {"aws:SourceAccount": self.account}},
            )
        )
        self.dead_letters = sqs.Queue(
            self,
            "ScheduledDeadLetters",
            queue_name=stage.resource_name("scheduled-dlq"),
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=DEAD_LETTER_RETENTION,
        )
        Validations.of(self.dead_letters.node.default_child).acknowledge(
            Acknowledgment(
                id="AwsSolutions-SQS3",
                reason="This queue is itself the dead-letter queue of the scheduled "
                "functions' failed invocations.",
            )
        )
        self.log_groups = {f.name: self._log_group(f) for f in self.functions}
        self.roles = {f.name: self._role(f) for f in self.functions}
        self.chalice = self._chalice_app()
        self._alarms()
        self._outputs()

    # -- naming ---------------------------------------------------------------

    def function_name(self, function: Function) -> str:
        return self.stage.resource_name(function.name.replace("_", "-"))

    # -- data -----------------------------------------------------------------

    def _table(self, suffix: str) -> dynamodb.CfnTable:
        definition = table_definition(MODELS[suffix])
        table = dynamodb.CfnTable(
            self,
            f"{to_cfn_resource_name(suffix)}Table",
            table_name=self.stage.table_name(suffix),
            key_schema=[
                dynamodb.CfnTable.KeySchemaProperty(
                    attribute_name=key["AttributeName"], key_type=key["KeyType"]
                )
                for key in definition.pop("KeySchema")
            ],
            billing_mode="PAY_PER_REQUEST",
            point_in_time_recovery_specification=(
                dynamodb.CfnTable.PointInTimeRecoverySpecificationProperty(
                    point_in_time_recovery_enabled=True
                )
            ),
            deletion_protection_enabled=True,
            # AWS-managed key (aws/dynamodb): encrypted at rest, key use in CloudTrail,
            # no key policy to keep.
            sse_specification=dynamodb.CfnTable.SSESpecificationProperty(sse_enabled=True),
        )
        # The rest of the definition is already in CloudFormation's terms.
        for name, value in definition.items():
            table.add_property_override(name, value)
        table.apply_removal_policy(RemovalPolicy.RETAIN)
        return table

    def _table_arn(self, suffix: str) -> str:
        return self.tables[suffix].attr_arn

    # -- messaging ------------------------------------------------------------

    def _messaging_key(self) -> kms.Key:
        key = kms.Key(
            self,
            "MessagingKey",
            alias=f"alias/{self.stage.resource_name('messaging')}",
            description="Encrypts Saber's SMS and alarm topics",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        # A customer-managed key, because AWS services that publish to the topics
        # (the SMS service for inbound messages, CloudWatch for alarms) cannot use
        # the AWS-managed aws/sns key: only a key policy of our own can admit them.
        for service in ("sms-voice.amazonaws.com", "cloudwatch.amazonaws.com"):
            key.grant(iam.ServicePrincipal(service), "kms:Decrypt", "kms:GenerateDataKey*")
        return key

    def _topic(self, id_: str, name: str, key: kms.Key, display_name: str) -> sns.Topic:
        return sns.Topic(
            self,
            id_,
            topic_name=self.stage.resource_name(name),
            display_name=display_name,
            master_key=key,
            enforce_ssl=True,
        )

    # -- functions ------------------------------------------------------------

    def _log_group(self, function: Function) -> logs.LogGroup:
        return logs.LogGroup(
            self,
            f"{function.logical_id}Logs",
            log_group_name=f"/aws/lambda/{self.function_name(function)}",
            retention=LOG_RETENTION,
            removal_policy=RemovalPolicy.RETAIN,
        )

    def _role(self, function: Function) -> iam.Role:
        statements = [
            iam.PolicyStatement(
                sid="WriteOwnLogs",
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[self.log_groups[function.name].log_group_arn],
            )
        ]
        statements += [
            statement
            for access in FUNCTION_ACCESS[function.name]
            for statement in self._table_statements(access)
        ]
        if function.is_event_handler:
            statements.append(
                iam.PolicyStatement(
                    sid="SendFailedInvocationsToDeadLetterQueue",
                    actions=["sqs:SendMessage"],
                    resources=[self.dead_letters.queue_arn],
                )
            )
        if function.name == OUTBOX_WORKER:
            # An SMS published straight to a phone number has no resource ARN to name.
            statements.append(
                iam.PolicyStatement(
                    sid="SendSmsToPhoneNumbers", actions=["sns:Publish"], resources=["*"]
                )
            )
        role = iam.Role(
            self,
            f"{function.logical_id}Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description=f"Saber {self.stage.name}: {function.name}",
            inline_policies={"access": iam.PolicyDocument(statements=statements)},
        )
        if function.name == OUTBOX_WORKER:
            Validations.of(role.node.default_child).acknowledge(
                Acknowledgment(
                    id="AwsSolutions-IAM5[Resource::*]",
                    reason="sns:Publish to a phone number (direct SMS) has no resource ARN; "
                    "the statement allows only sns:Publish.",
                )
            )
        return role

    def _table_statements(self, access: TableAccess) -> list[iam.PolicyStatement]:
        sid = to_cfn_resource_name(access.table)
        statements = []
        if access.actions:
            statements.append(
                iam.PolicyStatement(
                    sid=f"{sid}Items",
                    actions=[f"dynamodb:{action}" for action in access.actions],
                    resources=[self._table_arn(access.table)],
                )
            )
        if access.queried_indexes:
            statements.append(
                iam.PolicyStatement(
                    sid=f"{sid}Indexes",
                    actions=["dynamodb:Query"],
                    resources=[
                        f"{self._table_arn(access.table)}/index/{index}"
                        for index in access.queried_indexes
                    ],
                )
            )
        return statements

    def _chalice_app(self) -> Chalice:
        jwks_url = CfnParameter(
            self,
            "JwksUrl",
            description="JWKS URL of the Cognito user pool that signs staff tokens "
            "(https://cognito-idp.<region>.amazonaws.com/<pool id>/.well-known/jwks.json)",
            allowed_pattern=r"^https://\S+$",
            constraint_description="must be an https:// URL",
            default=self.node.try_get_context("jwks_url"),
        )
        issuer = self._optional_parameter("JwtIssuer", "jwt_issuer", "Required `iss` of tokens")
        audience = self._optional_parameter("JwtAudience", "jwt_audience", "Required `aud`")
        # Chalice manages no role: every function gets its own role, made above. Chalice
        # wants a role ARN for that, which each function's override below replaces.
        chalice = Chalice(
            self,
            "Api",
            source_dir=str(ROOT),
            stage_config={
                "manage_iam_role": False,
                "iam_role_arn": self.roles[API_FUNCTION].role_arn,
                "environment_variables": {
                    "SABER_JWKS_URL": jwks_url.value_as_string,
                    "SABER_JWT_ISSUER": issuer.value_as_string,
                    "SABER_JWT_AUDIENCE": audience.value_as_string,
                    "SABER_SMS_IN_TOPIC_ARN": self.sms_in.topic_arn,
                    "SABER_SMS_OUT_TOPIC_ARN": self.sms_out.topic_arn,
                    "SABER_SMS_GATEWAY_SECRET": self._secret_parameter(
                        "SmsGatewaySecret",
                        "Shared secret of the SMS gateways posting to /channels/sms "
                        "(at least 32 bytes; empty: the route accepts nothing)",
                    ).value_as_string,
                    "SABER_TWITTER_CONSUMER_SECRET": self._secret_parameter(
                        "TwitterConsumerSecret",
                        "Consumer secret of the X app whose webhook posts to "
                        "/channels/twitter (empty: the channel is off)",
                    ).value_as_string,
                },
            },
        )
        for function in self.functions:
            resource = chalice.get_resource(function.logical_id)
            resource.add_property_override("FunctionName", self.function_name(function))
            resource.add_property_override("Role", self.roles[function.name].role_arn)
            resource.add_resource_dependency(self.log_groups[function.name].node.default_child)
            if function.is_event_handler:
                resource.add_property_override(
                    "DeadLetterQueue", {"Type": "SQS", "TargetArn": self.dead_letters.queue_arn}
                )
            if function.name == INBOUND_SMS:
                # Subscribe to this stack's topic, whatever name app.py was imported with.
                resource.add_property_override(
                    f"Events.{function.logical_id}SnsSubscription.Properties.Topic",
                    self.sms_in.topic_arn,
                )
        chalice.get_resource("RestAPI").add_property_override(
            "GatewayResponses", gateway_responses()
        )
        return chalice

    def _secret_parameter(self, name: str, description: str) -> CfnParameter:
        return CfnParameter(self, name, description=description, no_echo=True, default="")

    def _optional_parameter(self, name: str, context: str, description: str) -> CfnParameter:
        """A parameter whose default is the context value; empty means "not checked"."""
        return CfnParameter(
            self,
            name,
            description=f"{description} (empty: not checked)",
            default=self.node.try_get_context(context) or "",
        )

    # -- alarms ---------------------------------------------------------------

    def _alarms(self) -> None:
        action = cloudwatch_actions.SnsAction(self.alarm_topic)
        for function in self.functions:
            errors = cloudwatch.Alarm(
                self,
                f"{function.logical_id}Errors",
                alarm_name=f"{self.function_name(function)}-errors",
                alarm_description=f"{function.name} failed at least once in five minutes: "
                "read its log group for the traceback.",
                metric=self._lambda_metric(function, "Errors", Duration.minutes(5)),
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                threshold=0,
                evaluation_periods=1,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )
            errors.add_alarm_action(action)
        hourly = next(f for f in self.functions if f.name == HOURLY_SWEEP)
        not_running = cloudwatch.Alarm(
            self,
            "SweepNotRunning",
            alarm_name=self.stage.resource_name("sweep-not-running"),
            alarm_description="The hourly escalation sweep was not invoked for two hours: "
            "its schedule is disabled or missing, so no case is being escalated.",
            metric=self._lambda_metric(hourly, "Invocations", Duration.hours(1)),
            comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
            threshold=1,
            evaluation_periods=2,
            datapoints_to_alarm=2,
            treat_missing_data=cloudwatch.TreatMissingData.BREACHING,
        )
        not_running.add_alarm_action(action)
        dead_letters = cloudwatch.Alarm(
            self,
            "DeadLetters",
            alarm_name=self.stage.resource_name("scheduled-dead-letters"),
            alarm_description="A scheduled function failed every retry of an invocation; "
            "the event waits in the dead-letter queue.",
            metric=self.dead_letters.metric_approximate_number_of_messages_visible(
                period=Duration.minutes(5), statistic="Maximum"
            ),
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            threshold=0,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        dead_letters.add_alarm_action(action)

    def _lambda_metric(self, function: Function, name: str, period: Duration) -> cloudwatch.Metric:
        return cloudwatch.Metric(
            namespace="AWS/Lambda",
            metric_name=name,
            dimensions_map={"FunctionName": self.function_name(function)},
            statistic="Sum",
            period=period,
        )

    # -- outputs --------------------------------------------------------------

    def _outputs(self) -> None:
        outputs = {
            "SmsInTopicArn": self.sms_in.topic_arn,
            "SmsOutTopicArn": self.sms_out.topic_arn,
            "AlarmTopicArn": self.alarm_topic.topic_arn,
            "ScheduledDeadLetterQueueUrl": self.dead_letters.queue_url,
            "TablePrefix": self.stage.table_prefix,
        }
        for name, value in outputs.items():
            CfnOutput(self, name, value=value, export_name=f"{self.stage.stack_name}-{name}")


def gateway_responses() -> dict:
    """API Gateway's own answers (unknown route, throttling, its own failures) in the
    service's error shape."""
    responses = {}
    for kind, (status, code, message) in GATEWAY_ERRORS.items():
        body = json.dumps({"error": {"code": code, "message": "MESSAGE", "field": None}})
        response = {
            "ResponseTemplates": {"application/json": body.replace('"MESSAGE"', message)},
            "ResponseParameters": {"Headers": {"X-Content-Type-Options": "'nosniff'"}},
        }
        if status:
            response["StatusCode"] = str(status)
        responses[kind] = response
    return responses
