"""The office picks a regulation, copies a preset and edits every step's duration and clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from desk import Desk

from desktop import cli
from desktop.models.entities import AuditEvent
from desktop.models.enums import StepKind
from desktop.services.errors import AccessDenied, ValidationError
from desktop.services.office import Office
from desktop.services.office_regulation import (
    copy_regulation,
    list_regulations,
    office_regulation,
    regulation_by_slug,
    save_regulation,
    use_regulation,
)

K = StepKind


@pytest.fixture
def desk(office: Office) -> Desk:
    return Desk(office, "otradnensky-2021")


def test_the_office_works_by_its_chosen_regulation(desk: Desk) -> None:
    first = desk.register()
    assert desk.incident(first).regulation == "otradnensky-2021"
    use_regulation(desk.admin, "okhinsky-2023")
    assert office_regulation().slug == "okhinsky-2023"
    second = desk.register()
    assert desk.incident(second).regulation == "okhinsky-2023"
    assert desk.due(second, K.ANSWER) == "13.03 10:00"  # 24 hours without days off
    # A message registered earlier keeps the regulation it started with.
    assert desk.due(first, K.ANSWER) == "13.03 10:00"
    assert desk.due(first, K.ROUTE) == "12.03 10:30"
    assert [c.slug for c in list_regulations() if c.in_use] == ["okhinsky-2023"]


def test_a_copy_with_an_edited_step(desk: Desk) -> None:
    copy = copy_regulation(desk.admin, "otradnensky-2021", "otradnoe-fast", "Отрадное, 6 часов")
    assert copy.slug == "otradnoe-fast"
    edited = copy.source.replace('after = "8h"', 'after = "6h"', 1)
    save_regulation(desk.admin, edited)
    use_regulation(desk.admin, "otradnoe-fast")
    incident = desk.register()
    assert desk.due(incident, K.ANSWER) == "12.03 17:00"  # 10:00 + 6 working hours
    assert regulation_by_slug("otradnoe-fast").title == "Отрадное, 6 часов"
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions.count("save_regulation") == 2
    assert "use_regulation" in actions


def test_a_preset_cannot_be_overwritten(desk: Desk) -> None:
    preset = regulation_by_slug("otradnensky-2021")
    with pytest.raises(ValidationError, match="встроенный"):
        save_regulation(desk.admin, preset.source.replace('"8h"', '"9h"'))
    with pytest.raises(ValidationError, match="уже есть"):
        copy_regulation(desk.admin, "okhinsky-2023", "otradnensky-2021", "x")


def test_a_broken_copy_is_refused(desk: Desk) -> None:
    with pytest.raises(ValidationError, match="неизвестный шаг"):
        save_regulation(desk.admin, 'slug = "x-1"\ntitle = "X"\n[steps.anwser]\nafter = "1h"\n')
    with pytest.raises(ValidationError, match="Нет встроенного порядка"):
        use_regulation(desk.admin, "nowhere-2030")


def test_only_an_administrator_changes_the_regulation(desk: Desk) -> None:
    with pytest.raises(AccessDenied):
        use_regulation(desk.curator, "okhinsky-2023")
    with pytest.raises(AccessDenied):
        copy_regulation(desk.curator, "okhinsky-2023", "mine-1", "Мой")
    assert office_regulation().slug == "otradnensky-2021"


def test_cli_lists_shows_exports_and_imports(
    desk: Desk, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(desk.office.path)]
    assert cli.main([*db, "regulations"]) == cli.EXIT_OK
    assert "* otradnensky-2021" in capsys.readouterr().out
    assert cli.main([*db, "regulation-show", "otradnensky-2021"]) == cli.EXIT_OK
    shown = capsys.readouterr().out
    assert "Срок ответа: 8 ч рабочего времени от выявления (п. 9)" in shown
    assert "Срок ответа (повышенная важность): 4 ч рабочего времени от выявления (п. 17)" in shown
    out = tmp_path / "mine.toml"
    assert cli.main([*db, "regulation-export", "otradnensky-2021", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8").replace(
        'slug = "otradnensky-2021"', 'slug = "mine-2026"'
    )
    out.write_text(text.replace('after = "30m"', 'after = "20m"', 1), encoding="utf-8")
    assert cli.main([*db, "regulation-import", str(out)]) == cli.EXIT_OK
    assert cli.main([*db, "regulation-use", "mine-2026"]) == cli.EXIT_OK
    capsys.readouterr()
    incident = desk.register()
    assert desk.due(incident, K.ROUTE) == "12.03 10:20"
    assert cli.main([*db, "regulation-use", "nowhere"]) == cli.EXIT_REFUSED
    assert "Нет встроенного порядка" in capsys.readouterr().err
