"""The layer rules of docs/ARCHITECTURE.md, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "desktop"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            names.update(
                arg.value
                for arg in node.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            )
    return names


def offending(folder: str, banned: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        for name in sorted(imported_modules(path)):
            if any(name == b or name.startswith(b + ".") for b in banned):
                found.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    return found


def test_views_do_not_touch_the_database_layer() -> None:
    assert offending("views", ("peewee", "playhouse", "desktop.models", "sqlite3")) == []


@pytest.mark.parametrize("folder", ["models", "services"])
def test_models_and_services_know_nothing_of_qt(folder: str) -> None:
    assert offending(folder, ("PySide6", "shiboken6", "desktop.views", "desktop.app")) == []


def test_models_do_not_depend_on_services() -> None:
    assert offending("models", ("desktop.services",)) == []


def test_the_checker_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad_view.py"
    bad.write_text(
        "from desktop.models.entities import Incident\nimport peewee\n", encoding="utf-8"
    )
    assert {"desktop.models.entities", "peewee"} <= imported_modules(bad)
