"""A coloured strip above the queue: offline, read-only access, a database problem."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


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
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)
        self.hide()

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
