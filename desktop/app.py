"""`otklik`: the desktop application."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import APP_NAME, __version__
from desktop.services.config import (
    DatabaseTarget,
    TargetOrigin,
    configured_target,
    demo_target,
    parse_location,
)
from desktop.services.errors import KnownDatabaseError
from desktop.services.paths import user_data_dir

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

SELF_TEST_TIMEOUT_MS = 60_000


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="otklik", description=APP_NAME)
    parser.add_argument("--version", action="store_true", help="показать версию и выйти")
    parser.add_argument("--db", help="файл базы данных (вместо настроек)")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="открыть окно на временной демонстрационной базе и выйти (проверка сборки)",
    )
    args, _unknown_qt_args = parser.parse_known_args(argv)
    return args


def _say(text: str) -> None:
    # A windowed Windows executable has no console: sys.stdout is None there.
    if sys.stdout is not None:
        print(text, flush=True)


def _setup_logging() -> None:
    log_dir = user_data_dir()
    handlers: list[logging.Handler] = [logging.StreamHandler()] if sys.stderr else []
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_dir / "otklik.log", encoding="utf-8"))
    except OSError:  # a read-only profile must not stop the app
        pass
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(sys.argv[1:] if argv is None else argv)
    if args.version:
        _say(f"otklik {__version__}")
        return 0
    if args.self_test:
        return _self_test()
    _setup_logging()
    try:
        target = (
            parse_location(args.db, TargetOrigin.COMMAND_LINE) if args.db else configured_target()
        )
    except KnownDatabaseError as exc:
        _say(exc.user_message)
        return 2
    return _run_gui(target)


def _qt_application() -> QApplication:
    """The QApplication, with Qt's own dialogs in Russian and window state in our folder."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
    from PySide6.QtWidgets import QApplication

    from desktop.views.window_state import configure_settings_storage

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    QLocale.setDefault(QLocale(QLocale.Language.Russian, QLocale.Country.Russia))
    translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase_ru", "qt_ru"):
        translator = QTranslator(app)
        if translator.load(name, translations):
            app.installTranslator(translator)
    configure_settings_storage()
    return app


def _run_gui(target: DatabaseTarget) -> int:
    from desktop.views.errors_dialog import install_exception_hook
    from desktop.views.main_window import MainWindow

    app = _qt_application()
    window = MainWindow(target)
    install_exception_hook(window)
    window.show()
    return int(app.exec())


def _self_test() -> int:
    """Open the real window on a throwaway demo database; 0 when the queue shows rows."""
    from PySide6.QtCore import QTimer

    from desktop.views.main_window import ConnectionState, MainWindow

    with tempfile.TemporaryDirectory(prefix="otklik-self-test-") as folder:
        # Before logging starts: the self-test must not write into the user's profile.
        os.environ["OTKLIK_DATA_DIR"] = str(Path(folder) / "data")
        os.environ["OTKLIK_CONFIG_DIR"] = str(Path(folder) / "config")
        _setup_logging()
        app = _qt_application()
        window = MainWindow(demo_target())
        outcome: list[str] = []

        def finish(state: str) -> None:
            if state != ConnectionState.CONNECTING and not outcome:
                outcome.append(state)
                app.quit()

        window.state_changed.connect(finish)
        QTimer.singleShot(SELF_TEST_TIMEOUT_MS, app.quit)
        window.show()
        app.exec()
        rows = window.model.rowCount()
        window.close()
        logging.shutdown()  # release otklik.log before the folder is removed (Windows)
        ok = outcome == [ConnectionState.ONLINE] and rows > 0
        _say(f"self-test: {'ok' if ok else 'FAILED'} ({outcome or ['timeout']}, {rows} rows)")
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
