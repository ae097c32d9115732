"""A workstation that types an answer until it is killed: the child of the autosave kill test.

    python typing_child.py DB INCIDENT_ID

Signs in as $OTKLIK_USER, opens the answer editor on the incident and types a numbered word
every TYPE_EVERY_S, printing «typed N <epoch seconds>» after each, until SIGKILL.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.services.config import DatabaseTarget, TargetOrigin
from desktop.views.main_window import ConnectionState, MainWindow
from desktop.views.window_state import configure_settings_storage

TYPE_EVERY_S = 0.25


def main() -> None:
    database, incident = Path(sys.argv[1]), int(sys.argv[2])
    app = QApplication([])
    configure_settings_storage()
    window = MainWindow(DatabaseTarget(str(database), TargetOrigin.COMMAND_LINE))
    window.show()
    typed = 0

    def type_a_word() -> None:
        nonlocal typed
        [editor] = window.drafts.editors.values()
        typed += 1
        editor.text.moveCursor(editor.text.textCursor().MoveOperation.End)
        editor.text.insertPlainText(f"слово{typed} ")
        print(f"typed {typed} {time.time():.3f}", flush=True)

    def open_editor_when_online() -> None:
        if window.state != ConnectionState.ONLINE:
            QTimer.singleShot(50, open_editor_when_online)
            return
        window.drafts.open_editor(incident)
        wait_for_editor()

    def wait_for_editor() -> None:
        if not window.drafts.editors:
            QTimer.singleShot(50, wait_for_editor)
            return
        print("editor open", flush=True)
        typing.start()

    typing = QTimer()
    typing.setInterval(int(TYPE_EVERY_S * 1000))
    typing.timeout.connect(type_a_word)
    QTimer.singleShot(0, open_editor_when_online)
    app.exec()


if __name__ == "__main__":
    main()
