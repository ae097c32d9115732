"""The Qt binding keeps Python's reference counts: PySide6 6.12.0 did not, and crashed.

On Python 3.11 `None`, `True` and `False` are ordinary objects: a binding that releases one
reference too many on each call brings the count to zero after some thousands of calls and
the interpreter aborts ("deallocating None"). pyproject.toml excludes that release; these
tests fail on any binding with the same fault.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from pytestqt.qtbot import QtBot


class _Empty(QAbstractTableModel):
    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008, N802
        return 3

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008, N802
        return 2

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return None


def test_data_returning_none_through_cpp_keeps_none_alive(qtbot: QtBot) -> None:
    model = _Empty()
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    before = sys.getrefcount(None)
    for _ in range(2000):
        proxy.data(proxy.index(0, 0), Qt.ItemDataRole.BackgroundRole)
    assert sys.getrefcount(None) >= before - 50  # a little noise, never one per call


def test_emitting_a_signal_keeps_true_alive(qtbot: QtBot) -> None:
    model = _Empty()
    before = sys.getrefcount(True)
    for _ in range(500):
        model.dataChanged.emit(model.index(0, 0), model.index(1, 1))
    assert sys.getrefcount(True) >= before - 50
