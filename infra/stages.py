"""Deployable stages, read from `.chalice/config.json`: the one place where stage
names and table prefixes are set, for the Chalice app and the infrastructure alike."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from chalicelib.config import table_name

ROOT = Path(__file__).resolve().parent.parent
CHALICE_CONFIG = ROOT / ".chalice" / "config.json"


class StageError(ValueError):
    """A stage that the Chalice config does not define as deployable."""


@dataclass(frozen=True)
class Stage:
    app_name: str
    name: str
    table_prefix: str

    @property
    def stack_name(self) -> str:
        return f"{self.app_name}-{self.name}"

    def table_name(self, suffix: str) -> str:
        return table_name(self.table_prefix, suffix)

    def resource_name(self, part: str) -> str:
        """A physical name for this stage: `saber-prod-sms-in`."""
        return f"{self.stack_name}-{part}"


def deployable_stages(config_path: Path = CHALICE_CONFIG) -> dict[str, Stage]:
    """Every stage whose environment names its tables (`SABER_TABLE_PREFIX`); the
    `local` stage names none and runs only on a developer's machine."""
    config = json.loads(config_path.read_text("utf-8"))
    stages = {}
    for name, stage in config.get("stages", {}).items():
        prefix = stage.get("environment_variables", {}).get("SABER_TABLE_PREFIX")
        if prefix:
            stages[name] = Stage(app_name=config["app_name"], name=name, table_prefix=prefix)
    return stages


def select_stages(requested: str | None, config_path: Path = CHALICE_CONFIG) -> list[Stage]:
    """The stage named on the command line (`-c stage=prod`), or every deployable one."""
    stages = deployable_stages(config_path)
    if requested is None:
        return list(stages.values())
    if requested not in stages:
        known = ", ".join(sorted(stages)) or "none"
        raise StageError(
            f"stage {requested!r} is not deployable; .chalice/config.json defines {known} "
            "(a deployable stage sets SABER_TABLE_PREFIX)"
        )
    return [stages[requested]]
