"""Version 2: what the incident workflow records beyond version 1.

- `incident.registered_at`: when the message reached the curator (Конышевский п. 10 counts
  the answer deadline from it); existing rows take their registration event's moment.
- `step.cancelled`: a step that ended without being done (a department returned the
  message, the message was closed), so reports do not count it as done in time.
- `answer_version.ground`: why an explanation is given (Охинский 3.7).
"""

from __future__ import annotations

import peewee

VERSION = 2
DESCRIPTION = "workflow: registered_at, cancelled steps, explanation grounds"

STATEMENTS = (
    'ALTER TABLE "incident" ADD COLUMN "registered_at" TEXT',
    'ALTER TABLE "step" ADD COLUMN "cancelled" INTEGER NOT NULL DEFAULT 0',
    'ALTER TABLE "answer_version" ADD COLUMN "ground" VARCHAR(255) NOT NULL DEFAULT \'\'',
    # The registration event of each incident knows when it was registered.
    'UPDATE "incident" SET "registered_at" = (SELECT min("at") FROM "audit_event" '
    'WHERE "audit_event"."entity" = \'incident\' AND "audit_event"."entity_id" = "incident"."id" '
    'AND "audit_event"."action" = \'register\')',
)


def up(db: peewee.Database) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
