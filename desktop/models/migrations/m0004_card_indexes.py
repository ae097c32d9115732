"""Version 4: indexes for the incident card's related messages.

The card lists messages by the same author (their profile link) and recent ones on the same
topic at the same place. Without these indexes each card read scanned the incident table:
about 100 ms a card on 200,000 messages.
"""

from __future__ import annotations

import peewee

VERSION = 4
DESCRIPTION = "card: indexes for messages by the same author and on the same topic and place"

STATEMENTS = (
    'CREATE INDEX "incident_author_url" ON "incident" ("author_url")',
    'CREATE INDEX "incident_topic_id_location_id_detected_at" '
    'ON "incident" ("topic_id", "location_id", "detected_at")',
)


def up(db: peewee.Database) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
