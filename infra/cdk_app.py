"""The CDK app: `python infra/cdk_app.py` (what `make synth` and `cdk.json` run).

Synthesizes one stack per deployable stage of `.chalice/config.json` (or only the
stage given with `-c stage=NAME`), checks every stack with the cdk-nag AwsSolutions
pack, and exits non-zero on any finding that is not acknowledged with a reason.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

INFRA = Path(__file__).resolve().parent
# The repository root first, so `app` is the Chalice app and `infra` this package.
sys.path.insert(0, str(INFRA.parent))

from aws_cdk import App, Validations  # noqa: E402
from cdk_nag import AwsSolutionsChecks  # noqa: E402

from infra.stack import SaberStack  # noqa: E402
from infra.stages import select_stages  # noqa: E402


def build_app(outdir: str | None = None, context: dict | None = None) -> App:
    """The app with its stacks and checks, not yet synthesized."""
    app = App(outdir=outdir, context=context)
    for stage in select_stages(app.node.try_get_context("stage")):
        SaberStack(app, stage)
    # Acknowledged findings are written into the template metadata, reason and all.
    Validations.of(app).add_plugins(
        AwsSolutionsChecks(app, write_suppressions_to_cloud_formation=True)
    )
    return app


def main() -> int:
    # `chalice package` wants a region, though the template is region-agnostic.
    os.environ.setdefault("AWS_DEFAULT_REGION", "ap-southeast-3")
    # The CDK CLI names the output directory; run on its own, synthesize to infra/cdk.out.
    outdir = None if os.environ.get("CDK_OUTDIR") else str(INFRA / "cdk.out")
    assembly = build_app(outdir).synth()
    for stack in assembly.stacks:
        print(f"{stack.stack_name}: {os.path.relpath(stack.template_full_path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
