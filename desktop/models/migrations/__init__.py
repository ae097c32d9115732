"""Numbered schema migrations. Append a module per step; never edit an applied one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import peewee

from desktop.models.migrations import (
    m0001_initial,
    m0002_workflow,
    m0003_search,
    m0004_card_indexes,
)


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    up: Callable[[peewee.Database], None]


MIGRATIONS: tuple[Migration, ...] = tuple(
    Migration(module.VERSION, module.DESCRIPTION, module.up)
    for module in (m0001_initial, m0002_workflow, m0003_search, m0004_card_indexes)
)
LATEST_VERSION = MIGRATIONS[-1].version

assert [m.version for m in MIGRATIONS] == list(range(1, LATEST_VERSION + 1)), "gap in migrations"
