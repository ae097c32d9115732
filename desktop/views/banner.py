"""A coloured strip above the queue: offline, read-only access, a database problem."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton


class BannerKind(StrEnum):
    INFO = "#d1ecf1"
    WARNING = "#fff3cd"
    ERROR = "#f8d7da"


class Banner(QFrame):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.button = QPushButton(self)
        self.button.hide()
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setToolTip("Скрыть")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.clear)
        self.close_button.hide()
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        layout.addWidget(self.close_button)
        self.hide()

    def set_closable(self, closable: bool) -> None:
        """Notices the user may dismiss; problems (offline, no database) stay until solved."""
        self.close_button.setVisible(closable)

    def show_message(self, kind: BannerKind, text: str, button_text: str = "") -> None:
        self.setStyleSheet(
            f"#banner {{ background: {kind.value}; border: 1px solid #c8c8c8; border-radius: 3px }}"
        )
        self.label.setText(text)
        self.button.setVisible(bool(button_text))
        self.button.setText(button_text)
        self.show()

    def clear(self) -> None:
        self.hide()
