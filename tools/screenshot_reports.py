"""Screenshot of the Reports tab («Отчёты») for the docs: docs/reports-tab.png.

Shows the hand-made report of a district office for October 2026 (`tests/report_fakes.py`)
through a fake report source, in a window of 1600×1000, and grabs it. A throw-away office in a
temporary folder gives the tab its workspace (the regulations offered).

    xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb \\
        OTKLIK_DATA_DIR=/tmp/rshot/data OTKLIK_CONFIG_DIR=/tmp/rshot/cfg \\
        .venv/bin/python tools/screenshot_reports.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: E402
from report_fakes import FakeSource  # noqa: E402

from desktop.models import database  # noqa: E402
from desktop.services.config import DatabaseTarget, TargetOrigin  # noqa: E402
from desktop.services.directory import directory  # noqa: E402
from desktop.services.office import open_office  # noqa: E402
from desktop.services.office_calendar import office_work_calendar  # noqa: E402
from desktop.services.office_regulation import office_regulation  # noqa: E402
from desktop.services.session import identify  # noqa: E402
from desktop.services.settings import office_settings, put_value  # noqa: E402
from desktop.services.workspace import Workspace  # noqa: E402
from desktop.views import reports_tab  # noqa: E402
from desktop.views.database_worker import DatabaseThread  # noqa: E402
from desktop.views.jobs import Jobs  # noqa: E402
from desktop.views.reports_tab import ReportsTab  # noqa: E402

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)  # the default period is October 2026


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the tab did not get there in time")
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "reports-tab.png")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="otklik-rshot-"))
    path = folder / "share" / "otklik.db"
    path.parent.mkdir(parents=True)
    office = open_office(DatabaseTarget(str(path), TargetOrigin.COMMAND_LINE), create=True)
    put_value("regulation", "otradnensky-2021")
    put_value("timezone", "Europe/Moscow")
    workspace = Workspace(
        office,
        identify("admin"),
        office_settings(),
        office_work_calendar(),
        directory(),
        office_regulation(),
    )
    reports_tab.utcnow = lambda: NOW  # type: ignore[assignment]

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    database_thread = DatabaseThread()
    jobs = Jobs(database_thread)
    source = FakeSource()
    window = QMainWindow()
    window.setWindowTitle("Отклик — Отчёты")
    tab = ReportsTab(jobs, lambda: workspace, source, window)
    window.setCentralWidget(tab)
    window.resize(args.width, args.height)
    tab.use(workspace)
    window.show()
    wait_until(app, lambda: tab.report is not None and tab.status.text() == "")
    tab.tables.setCurrentIndex(1)  # «По отделам»
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(args.out))
    window.close()
    database_thread.shutdown()
    database.bind(None)
    shutil.rmtree(folder, ignore_errors=True)
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
