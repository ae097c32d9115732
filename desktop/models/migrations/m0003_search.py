"""Version 3: `incident_search`, a full-text index of incidents for the queue's search box.

An FTS5 table with the trigram tokenizer (SQLite 3.34+): every run of three characters is a
term, so a part of a word, any Russian word form and a piece of a link are found without a
stemmer. `case_sensitive 0` folds case for all of Unicode, Cyrillic included (SQLite's LIKE
and lower() fold ASCII only). `remove_diacritics` would need SQLite 3.45 and is not used;
instead the triggers fold ё to е, because people type «елка» for «ёлка».

Contentless (`content=''`), not external-content or a regular FTS table:
- the indexed text is not the stored text (ё is folded), which a contentless table allows
  by design; an external-content table is expected to index exactly its content table's
  columns, and its `rebuild` and content integrity checks would disagree with the fold;
- a regular FTS table would keep a second copy of every text; the index alone is enough,
  because the search needs only the ids (`rowid` is `incident.id`).
The price: a contentless table forgets what it indexed, so removing a row takes the
`'delete'` command with the values it was indexed with. The triggers pass OLD's values
folded the same way, which is why the fold must never change without a migration that
empties the index (`'delete-all'`) and fills it again.

Triggers keep it in step with `incident`; an update re-indexes only when an indexed column
really changed (workflow actions rewrite the whole row to move the status and version).
Existing rows are indexed here, then merged into one segment (`'optimize'`).
The index's shadow tables (`incident_search_data`, …) get no change-log triggers: other
workstations learn of an edit from the `incident` row's own change-log entry.
"""

from __future__ import annotations

import peewee

VERSION = 3
DESCRIPTION = "search: incident_search, an FTS5 trigram index of text, author and links"

# Frozen SQL, written out in full: a later change to the fold goes into a new migration.
STATEMENTS = (
    """CREATE VIRTUAL TABLE "incident_search" USING fts5("text", "author_name", "author_url", "link", content='', tokenize='trigram case_sensitive 0')""",
    """CREATE TRIGGER "incident_search_insert" AFTER INSERT ON "incident"
BEGIN
  INSERT INTO "incident_search" ("rowid", "text", "author_name", "author_url", "link")
  VALUES (NEW."id",
    replace(replace(NEW."text", 'ё', 'е'), 'Ё', 'Е'),
    replace(replace(NEW."author_name", 'ё', 'е'), 'Ё', 'Е'),
    replace(replace(NEW."author_url", 'ё', 'е'), 'Ё', 'Е'),
    replace(replace(NEW."link", 'ё', 'е'), 'Ё', 'Е'));
END""",
    """CREATE TRIGGER "incident_search_delete" AFTER DELETE ON "incident"
BEGIN
  INSERT INTO "incident_search" ("incident_search", "rowid", "text", "author_name", "author_url", "link")
  VALUES ('delete', OLD."id",
    replace(replace(OLD."text", 'ё', 'е'), 'Ё', 'Е'),
    replace(replace(OLD."author_name", 'ё', 'е'), 'Ё', 'Е'),
    replace(replace(OLD."author_url", 'ё', 'е'), 'Ё', 'Е'),
    replace(replace(OLD."link", 'ё', 'е'), 'Ё', 'Е'));
END""",
    """CREATE TRIGGER "incident_search_update" AFTER UPDATE OF "id", "text", "author_name", "author_url", "link" ON "incident"
WHEN OLD."id" IS NOT NEW."id" OR OLD."text" IS NOT NEW."text" OR OLD."author_name" IS NOT NEW."author_name"
  OR OLD."author_url" IS NOT NEW."author_url" OR OLD."link" IS NOT NEW."link"
BEGIN
  INSERT INTO "incident_search" ("incident_search", "rowid", "text", "author_name", "author_url", "link")
  VALUES ('delete', OLD."id",
    replace(replace(OLD."text", 'ё', 'е'), 'Ё', 'Е'),
    replace(replace(OLD."author_name", 'ё', 'е'), 'Ё', 'Е'),
    replace(replace(OLD."author_url", 'ё', 'е'), 'Ё', 'Е'),
    replace(replace(OLD."link", 'ё', 'е'), 'Ё', 'Е'));
  INSERT INTO "incident_search" ("rowid", "text", "author_name", "author_url", "link")
  VALUES (NEW."id",
    replace(replace(NEW."text", 'ё', 'е'), 'Ё', 'Е'),
    replace(replace(NEW."author_name", 'ё', 'е'), 'Ё', 'Е'),
    replace(replace(NEW."author_url", 'ё', 'е'), 'Ё', 'Е'),
    replace(replace(NEW."link", 'ё', 'е'), 'Ё', 'Е'));
END""",
    """INSERT INTO "incident_search" ("rowid", "text", "author_name", "author_url", "link")
SELECT "id",
  replace(replace("text", 'ё', 'е'), 'Ё', 'Е'),
  replace(replace("author_name", 'ё', 'е'), 'Ё', 'Е'),
  replace(replace("author_url", 'ё', 'е'), 'Ё', 'Е'),
  replace(replace("link", 'ё', 'е'), 'Ё', 'Е')
FROM "incident"
""",
    """INSERT INTO "incident_search" ("incident_search") VALUES ('optimize')""",
)


def up(db: peewee.Database) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
