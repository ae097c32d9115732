"""Screenshot of the approval panel («Согласование») for the docs: docs/approval-panel.png.

Builds a throw-away office (Отрадненский Порядок) in a temporary folder, with a draft the
curator returned and the executor reworked, two more drafts waiting (one overdue), then opens
the real main window signed in as the curator, selects the reworked draft and grabs the window.

    xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb \\
        OTKLIK_DATA_DIR=/tmp/shot/data OTKLIK_CONFIG_DIR=/tmp/shot/cfg \\
        .venv/bin/python tools/screenshot_approval.py

Qt's xcb plugin needs `libxcb-cursor0` (Debian: `apt-get install xvfb libxcb-cursor0`);
`QT_QPA_PLATFORM=offscreen` works without an X server. The window's clocks are
fixed at a Wednesday afternoon so the countdowns read the same on every run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.models import database  # noqa: E402
from desktop.models.entities import (  # noqa: E402
    Department,
    Employee,
    EmployeeRole,
    Location,
    Topic,
)
from desktop.models.enums import (  # noqa: E402
    Importance,
    Network,
    ReturnReason,
    ReviewDecision,
    Role,
)
from desktop.services.config import DatabaseTarget, TargetOrigin  # noqa: E402
from desktop.services.incidents import IncidentService, NewIncident, RouteTarget  # noqa: E402
from desktop.services.office import Office, open_office  # noqa: E402
from desktop.services.session import CurrentUser, identify  # noqa: E402
from desktop.services.settings import put_value  # noqa: E402
from desktop.views import approval_panel, main_window  # noqa: E402
from desktop.views.main_window import ConnectionState, MainWindow  # noqa: E402
from desktop.views.window_state import configure_settings_storage  # noqa: E402

MOSCOW = ZoneInfo("Europe/Moscow")
NOW = dt.datetime(2025, 3, 12, 16, 55, tzinfo=MOSCOW)  # what the window's clocks say


class Office_:  # noqa: N801 - a small builder, not the service's Office
    def __init__(self, office: Office) -> None:
        self.office = office
        self.clock = NOW
        self.registered = 0
        put_value("regulation", "otradnensky-2021")
        put_value("timezone", "Europe/Moscow")
        put_value("office_name", "Администрация Отрадненского района")
        identify("admin")  # the first login administers the office
        self.departments = {
            name: Department.create(name=name, updated_by="admin")
            for name in ("Управление ЖКХ", "Отдел дорожного хозяйства", "Управление образования")
        }
        self.curator = self.person("curator", "Смирнова Ольга Викторовна", None, Role.CURATOR)
        self.operator = self.person("operator", "Кузнецова Анна Петровна", None, Role.OPERATOR)
        self.executors = {
            "Управление ЖКХ": self.person(
                "petrov", "Петров Игорь Сергеевич", "Управление ЖКХ", Role.EXECUTOR
            ),
            "Отдел дорожного хозяйства": self.person(
                "sidorova", "Сидорова Мария Ивановна", "Отдел дорожного хозяйства", Role.EXECUTOR
            ),
            "Управление образования": self.person(
                "orlov", "Орлов Денис Андреевич", "Управление образования", Role.EXECUTOR
            ),
        }

    def person(self, login: str, name: str, department: str | None, *roles: Role) -> CurrentUser:
        employee = Employee.create(
            full_name=name,
            os_login=login,
            department=None if department is None else self.departments[department],
            updated_by="admin",
        )
        for role in roles:
            EmployeeRole.create(employee=employee, role=role)
        return identify(login)

    def at(self, hour: int, minute: int) -> None:
        self.clock = dt.datetime(2025, 3, 12, hour, minute, tzinfo=MOSCOW)

    def svc(self, user: CurrentUser) -> IncidentService:
        return IncidentService(user, now=lambda: self.clock.astimezone(dt.UTC), office=self.office)

    def routed(self, department: str, text: str, **fields: object) -> int:
        self.registered += 1
        incident = self.svc(self.operator).register(
            NewIncident(
                text=text,
                detected_at=self.clock,
                link=f"https://vk.com/wall-2_{self.registered}",
                **fields,  # type: ignore[arg-type]
            )
        )
        executor = self.executors[department]
        self.svc(self.curator).route(
            incident, [RouteTarget(self.departments[department].id, executor.employee_id)]
        )
        return incident


def build(office: Office) -> int:
    """The office's drafts; returns the reworked one's answer id."""
    desk = Office_(office)
    roads = Topic.create(name="Дороги и тротуары", updated_by="admin")
    light = Topic.create(name="Уличное освещение", updated_by="admin")
    village = Location.create(name="ст. Отрадная", updated_by="admin")
    housing, road, school = desk.departments
    desk.at(9, 20)
    pothole = desk.routed(
        road,
        "Здравствуйте! На ул. Первомайской у дома 12 огромная яма, уже третью неделю машины "
        "объезжают её по встречной. Когда отремонтируют?",
        author_name="Ирина Ковалёва",
        network=Network.VK,
        topic_id=roads.id,
        location_id=village.id,
    )
    desk.at(9, 40)
    lamps = desk.routed(
        housing,
        "На ул. Мира не горят фонари от школы до остановки, дети ходят в темноте.",
        author_name="Сергей Лукин",
        network=Network.TELEGRAM,
        importance=Importance.HIGH,
        topic_id=light.id,
        location_id=village.id,
    )
    desk.at(10, 0)
    canteen = desk.routed(
        school,
        "Почему в школе № 2 до сих пор не открыли столовую после ремонта?",
        author_name="Наталья Грек",
        network=Network.OK,
        location_id=village.id,
    )
    executor = desk.executors[road]
    desk.at(15, 30)
    first = desk.svc(executor).submit_draft(
        pothole,
        "Добрый день! Ваше обращение рассмотрено. Ремонт дорожного покрытия на ул. "
        "Первомайской будет выполнен в порядке очерёдности по мере поступления финансирования.",
    )
    desk.at(15, 50)
    desk.svc(desk.curator).review(
        pothole,
        first,
        ReviewDecision.RETURN,
        reasons=[ReturnReason.NOT_MATCHING_QUESTION, ReturnReason.FORMAT],
        comment="Назовите срок ремонта и что сделают до него: яму надо хотя бы оградить.",
    )
    desk.at(16, 40)
    second = desk.svc(executor).submit_draft(
        pothole,
        "Добрый день, Ирина! Яму на ул. Первомайской у дома 12 оградят сегодня до 18:00. "
        "Ремонт дорожного покрытия на этом участке будет выполнен 14 марта подрядчиком "
        "ООО «Кубаньдорстрой».",
    )
    desk.at(16, 5)
    desk.svc(desk.executors[housing]).submit_draft(
        lamps,
        "Сергей, добрый вечер! Бригада уже выехала: фонари на ул. Мира заменят сегодня до 20:00.",
    )
    desk.at(16, 50)
    desk.svc(desk.executors[school]).submit_draft(
        canteen,
        "Наталья, здравствуйте! Столовая школы № 2 откроется 17 марта: сейчас завершается "
        "проверка оборудования.",
    )
    return second


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "approval-panel.png")
    parser.add_argument("--dock-out", type=Path, default=None, help="also the dock alone")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="otklik-shot-"))
    path = folder / "share" / "otklik.db"
    path.parent.mkdir(parents=True)
    target = DatabaseTarget(str(path), TargetOrigin.COMMAND_LINE)
    office = open_office(target, create=True)
    answer = build(office)
    database.bind(None)

    os.environ["OTKLIK_USER"] = "curator"
    fixed = NOW.astimezone(dt.UTC)
    main_window.utcnow = lambda: fixed  # type: ignore[assignment]
    approval_panel.utcnow = lambda: fixed  # type: ignore[assignment]
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure_settings_storage()
    window = MainWindow(target)
    window.resize(1900, 1000)
    window.show()
    wait_until(app, lambda: window.state == ConnectionState.ONLINE)
    panel = window.approvals.panel
    wait_until(app, lambda: panel.model.rowCount() == 3)
    window.resizeDocks([window.approvals], [470], Qt.Orientation.Horizontal)
    panel.select_answer(answer)
    wait_until(app, lambda: panel.detail is not None and panel.detail.answer_id == answer)
    assert panel.detail is not None
    window.select_incident(panel.detail.incident_id)
    incident = panel.detail.incident_id
    wait_until(app, lambda: window.card.incident_id == incident and not window.card.pending)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(args.out))
    if args.dock_out is not None:
        window.approvals.grab().save(str(args.dock_out))
    window.close()  # stops the window's database thread
    database.bind(None)
    shutil.rmtree(folder, ignore_errors=True)
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
