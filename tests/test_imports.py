"""The import contract (all stages): every module imports only earlier stages, and there are no cycles.

The contract is `[tool.importlinter]` in pyproject.toml (a layers contract listing the stages in order);
`lint-imports` checks it in CI, and this test runs the same check so that a local test run catches it too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tomllib

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"


def _lint(config: Path) -> bool:
    pytest.importorskip("importlinter")
    from importlinter import configuration
    from importlinter.application.use_cases import lint_imports

    configuration.configure()  # what the lint-imports command does first
    return bool(lint_imports(config_filename=str(config)))


def test_the_contract_lists_every_stage_module() -> None:
    """A module left out of the layers would be unchecked: every top-level module and package is in one."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    listed = {name.strip() for layer in config["contracts"][0]["layers"] for name in layer.split("|")}
    package = ROOT / "timeline"
    modules = {f"timeline.{p.stem}" for p in package.glob("*.py") if p.stem != "__init__"}
    modules |= {f"timeline.{p.name}" for p in package.iterdir() if (p / "__init__.py").exists() and p.name != "render"}
    modules |= {f"timeline.render.{p.stem}" for p in (package / "render").glob("*.py") if p.stem != "__init__"}
    assert modules - listed == set()


def test_the_stages_import_only_earlier_stages() -> None:
    assert _lint(PYPROJECT), "lint-imports found a module importing a later stage (run lint-imports to see it)"


def test_the_check_sees_a_later_stage_imported(tmp_path: Path) -> None:
    """The same check with two stages swapped fails: the report imports the model, not the other way round."""
    config = tmp_path / "swapped.toml"
    config.write_text('[tool.importlinter]\nroot_package = "timeline"\n\n[[tool.importlinter.contracts]]\n'
                      'name = "swapped"\ntype = "layers"\nlayers = ["timeline.model", "timeline.report"]\n',
                      encoding="utf-8")
    assert not _lint(config)
