"""Screenshot of the executor's answer editor for the docs: docs/answer-editor.png.

Builds a throw-away office (Отрадненский Порядок) with a draft the curator returned, opens
the real main window signed in as the executor, opens the editor on the rework and types an
answer with a typo, a phone number and officialese, so every kind of mark shows.

    xvfb-run -a -s "-screen 0 1400x900x24" env QT_QPA_PLATFORM=xcb \\
        OTKLIK_DATA_DIR=/tmp/shot/data OTKLIK_CONFIG_DIR=/tmp/shot/cfg \\
        .venv/bin/python tools/screenshot_editor.py [OUT.png]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the Desk helper builds the office

ANSWER = (
    "Пётр, здравствуйте! Яму у дома 5 на ул. Мира заделаем до 20 марта: сейчас осуществляется "
    "ремонт соседнего участка. Если будут вапросы, звоните мне: +7 918 123-45-67."
)


def build_office(db: Path) -> int:
    from desk import Desk

    from desktop.models import database
    from desktop.models.entities import Location, Topic
    from desktop.models.enums import ReturnReason, ReviewDecision
    from desktop.services.config import DatabaseTarget, TargetOrigin
    from desktop.services.incidents import RouteTarget
    from desktop.services.office import open_office

    office = open_office(DatabaseTarget(str(db), TargetOrigin.COMMAND_LINE), create=True)
    desk = Desk(office, "otradnensky-2021")
    topic = Topic.create(name="Дороги и тротуары", updated_by="t")
    place = Location.create(name="ст. Отрадная", updated_by="t")
    executor, curator = desk.svc(desk.executors["ЖКХ"]), desk.svc(desk.curator)
    desk.at(5, 10)
    old = desk.register(
        "На ул. Гагарина опять яма у дома 12",
        author_name="Мария Кузнецова",
        topic_id=topic.id,
        location_id=place.id,
    )
    curator.route(old, [RouteTarget(desk.dept("ЖКХ"))])
    earlier = executor.submit_draft(
        old,
        "Мария, здравствуйте! Яму на ул. Гагарина засыпали щебнем 6 марта, асфальт положим "
        "в апреле.",
    )
    curator.review(old, earlier, ReviewDecision.APPROVE)
    desk.at(12, 10)
    incident = desk.register(
        "Здравствуйте! На ул. Мира у дома 5 огромная яма, машины бьют колёса. Когда заделаете?",
        author_name="Пётр Иванов",
        author_url="https://vk.com/id555",
        topic_id=topic.id,
        location_id=place.id,
    )
    curator.route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    draft = executor.submit_draft(
        incident,
        "Пётр, здравствуйте! В настоящее время осуществляется ремонт дорог, ваше обращение "
        "рассмотрено.",
    )
    curator.review(
        incident,
        draft,
        ReviewDecision.RETURN,
        reasons=[ReturnReason.NOT_MATCHING_QUESTION],
        comment="Напишите, когда именно заделают яму у дома 5.",
    )
    database.bind(None)
    return incident


def main() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.services.config import DatabaseTarget, TargetOrigin
    from desktop.views.main_window import ConnectionState, MainWindow
    from desktop.views.window_state import configure_settings_storage

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "answer-editor.png"
    app = QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="otklik-editor-shot-"))
    db = folder / "share" / "otklik.db"
    db.parent.mkdir(parents=True)
    incident = build_office(db)
    os.environ["OTKLIK_USER"] = "executor0"
    configure_settings_storage()
    window = MainWindow(DatabaseTarget(str(db), TargetOrigin.COMMAND_LINE))
    window.show()

    def open_editor() -> None:
        if window.state != ConnectionState.ONLINE:
            QTimer.singleShot(100, open_editor)
            return
        window.drafts.open_editor(incident)
        QTimer.singleShot(1500, type_answer)

    def type_answer() -> None:
        [editor] = window.drafts.editors.values()
        editor.resize(1150, 640)
        editor.text.setPlainText(ANSWER)
        QTimer.singleShot(2500, grab)  # the dictionary loaded, the marks painted, saved

    def grab() -> None:
        [editor] = window.drafts.editors.values()
        editor.grab().save(str(out))
        print("saved", out)
        window.close()
        app.quit()

    QTimer.singleShot(0, open_editor)
    app.exec()
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
