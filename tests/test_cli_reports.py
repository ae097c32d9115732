"""`otklik-cli report` and `import` as a scheduled task and an administrator use them: a fresh
office (`init`), an old log brought in, the reports written; mistakes exit 2 in Russian."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_history_import import GOOD, HEADERS, write_csv

from desktop import cli
from desktop.models import database


@pytest.fixture
def office_db(tmp_path: Path) -> Path:
    path = tmp_path / "share" / "otklik.db"
    path.parent.mkdir()
    assert cli.main(["init", "--db", str(path), "--preset", "otradnensky-2021"]) == 0
    database.bind(None)
    return path


def test_init_import_and_both_reports_from_the_command_line(
    office_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = write_csv(tmp_path / "журнал.csv", [HEADERS, *GOOD], encoding="cp1251")
    # «--db» after the command, as for `report`.
    assert cli.main(["import", str(log), "--db", str(office_db)]) == 0
    month = tmp_path / "month.xlsx"
    assert cli.main(["--db", str(office_db), "report", "monthly", "--month", "2025-02",
                     "--out", str(month)]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "Импортировано: 4" in out
    assert "Отчёт за февраль 2025: сообщений 1, дан ответ 1, в срок 100,0 %" in out
    summary = {
        row[0]: row[1]
        for row in load_workbook(month)["Сводка"].iter_rows(
            min_row=2, max_row=9, max_col=2, values_only=True
        )
    }
    assert (summary["Всего сообщений"], summary["Ответ в срок"]) == (1, 1)
    week = tmp_path / "week.xlsx"
    assert cli.main(["report", "weekly", "--week", "2025-W07", "--out", str(week),
                     "--db", str(office_db)]) == 0  # fmt: skip
    assert "Отчёт за неделю 2025-W07 (10.02.2025 – 16.02.2025)" in capsys.readouterr().out
    assert load_workbook(week).sheetnames[1] == "Сводка"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "monthly", "--month", "2025-13", "--out", "x.xlsx"], "ГГГГ-ММ"),
        (["report", "weekly", "--week", "2025-44", "--out", "x.xlsx"], "ГГГГ-Wнн"),
        (
            ["report", "monthly", "--month", "2025-02", "--out", "x.xlsx", "--preset", "otradny"],
            "Нет встроенного порядка «otradny»",
        ),
    ],
)
def test_mistakes_in_a_scheduled_task_exit_2_in_russian(
    office_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    code = cli.main(["--db", str(office_db), *args])
    assert code == cli.EXIT_REFUSED
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


def test_an_unwritable_report_file_is_said_in_russian(
    office_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "нет такой папки" / "report.xlsx"
    code = cli.main(["--db", str(office_db), "report", "monthly", "--month", "2025-02",
                     "--out", str(out)])  # fmt: skip
    assert code == cli.EXIT_REFUSED
    assert "нет такого файла или папки" in capsys.readouterr().err


def test_a_violation_names_the_logs_own_number(office_db: Path, tmp_path: Path) -> None:
    log = write_csv(tmp_path / "журнал.csv", [HEADERS, *GOOD])
    assert cli.main(["--db", str(office_db), "import", str(log)]) == 0
    out = tmp_path / "march.xlsx"
    assert cli.main(["--db", str(office_db), "report", "monthly", "--month", "2025-03",
                     "--out", str(out)]) == 0  # fmt: skip
    rows = list(load_workbook(out)["Нарушения сроков"].iter_rows(min_row=2, values_only=True))
    # 103 was answered after its 4 hours (high importance); 104 never answered: only the
    # answer deadlines, nothing for the routing or the draft the log never recorded.
    assert sorted((r[1], r[8]) for r in rows) == [("Срок ответа", "103"), ("Срок ответа", "104")]
