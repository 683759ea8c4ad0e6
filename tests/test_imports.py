"""The import contract (all stages): every module imports only earlier stages, and there are no cycles.

The contract is `[tool.importlinter]` in pyproject.toml (a layers contract listing the stages in order);
`lint-imports` checks it in CI, and this test runs the same check so that a local test run catches it too.
"""

from __future__ import annotations

import re
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
    """A module left out of the layers would be unchecked: every module is in a layer, itself or by its package."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]
    listed = {name.strip() for layer in config["contracts"][0]["layers"] for name in re.split("[|:]", layer)}
    package = ROOT / "timeline"
    modules = {".".join(("timeline", *p.relative_to(package).with_suffix("").parts)) for p in package.rglob("*.py")}
    # a package's __init__ (a docstring) is covered by its package's layer, or by its modules' layers
    modules = {m.removesuffix(".__init__") for m in modules if m.count(".") > 1 or not m.endswith("__init__")}
    unlisted = {m for m in modules if not any(m == name or m.startswith(name + ".") or name.startswith(m + ".")
                                              for name in listed)}
    assert unlisted == set()


def test_the_stages_import_only_earlier_stages() -> None:
    assert _lint(PYPROJECT), "lint-imports found a module importing a later stage (run lint-imports to see it)"


def test_the_check_sees_a_later_stage_imported(tmp_path: Path) -> None:
    """The same check with two stages swapped fails: the report imports the model, not the other way round."""
    config = tmp_path / "swapped.toml"
    config.write_text('[tool.importlinter]\nroot_package = "timeline"\n\n[[tool.importlinter.contracts]]\n'
                      'name = "swapped"\ntype = "layers"\n'
                      'layers = ["timeline.model.case", "timeline.report.content"]\n',
                      encoding="utf-8")
    assert not _lint(config)
