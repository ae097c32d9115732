"""Version 1: the initial schema, frozen as SQL.

Frozen on purpose: later model changes go into new migrations, and this step keeps creating
exactly the version-1 schema that the committed fixture database was made with.
"""

from __future__ import annotations

import peewee

VERSION = 1
DESCRIPTION = "initial schema"

TABLES = """
CREATE TABLE "department" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "updated_at" TEXT NOT NULL, "updated_by" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "short_name" VARCHAR(255) NOT NULL, "kind" VARCHAR(255) NOT NULL, "email" VARCHAR(255) NOT NULL, "phone" VARCHAR(255) NOT NULL, "active" INTEGER NOT NULL, "sort_order" INTEGER NOT NULL);
CREATE UNIQUE INDEX "department_name" ON "department" ("name");
CREATE TABLE "employee" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "updated_at" TEXT NOT NULL, "updated_by" VARCHAR(255) NOT NULL, "full_name" VARCHAR(255) NOT NULL, "position" VARCHAR(255) NOT NULL, "os_login" VARCHAR(255) NOT NULL, "department_id" INTEGER, "email" VARCHAR(255) NOT NULL, "phones" VARCHAR(255) NOT NULL, "active" INTEGER NOT NULL, FOREIGN KEY ("department_id") REFERENCES "department" ("id") ON DELETE SET NULL);
CREATE UNIQUE INDEX "employee_os_login" ON "employee" ("os_login");
CREATE INDEX "employee_department_id" ON "employee" ("department_id");
CREATE TABLE "absence" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "updated_at" TEXT NOT NULL, "updated_by" VARCHAR(255) NOT NULL, "employee_id" INTEGER NOT NULL, "starts_on" DATE NOT NULL, "ends_on" DATE NOT NULL, "kind" VARCHAR(255) NOT NULL, "substitute_id" INTEGER, "note" VARCHAR(255) NOT NULL, FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE CASCADE, FOREIGN KEY ("substitute_id") REFERENCES "employee" ("id") ON DELETE SET NULL);
CREATE INDEX "absence_employee_id" ON "absence" ("employee_id");
CREATE INDEX "absence_substitute_id" ON "absence" ("substitute_id");
CREATE TABLE "account" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "updated_at" TEXT NOT NULL, "updated_by" VARCHAR(255) NOT NULL, "network" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "url" VARCHAR(255) NOT NULL, "owner" VARCHAR(255) NOT NULL, "department_id" INTEGER, "active" INTEGER NOT NULL, FOREIGN KEY ("department_id") REFERENCES "department" ("id") ON DELETE SET NULL);
CREATE INDEX "account_department_id" ON "account" ("department_id");
CREATE TABLE "topic" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "updated_at" TEXT NOT NULL, "updated_by" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "parent_id" INTEGER, "active" INTEGER NOT NULL, FOREIGN KEY ("parent_id") REFERENCES "topic" ("id") ON DELETE CASCADE);
CREATE INDEX "topic_parent_id" ON "topic" ("parent_id");
CREATE UNIQUE INDEX "topic_parent_id_name" ON "topic" ("parent_id", "name");
CREATE TABLE "location" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "updated_at" TEXT NOT NULL, "updated_by" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "kind" VARCHAR(255) NOT NULL, "parent_id" INTEGER, "active" INTEGER NOT NULL, FOREIGN KEY ("parent_id") REFERENCES "location" ("id") ON DELETE CASCADE);
CREATE INDEX "location_parent_id" ON "location" ("parent_id");
CREATE UNIQUE INDEX "location_parent_id_name" ON "location" ("parent_id", "name");
CREATE TABLE "incident" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "updated_at" TEXT NOT NULL, "updated_by" VARCHAR(255) NOT NULL, "number" INTEGER NOT NULL, "source" VARCHAR(255) NOT NULL, "external_number" VARCHAR(255) NOT NULL, "network" VARCHAR(255) NOT NULL, "account_id" INTEGER, "link" VARCHAR(255) NOT NULL, "link_key" VARCHAR(255) NOT NULL, "author_name" VARCHAR(255) NOT NULL, "author_url" VARCHAR(255) NOT NULL, "text" TEXT NOT NULL, "posted_at" TEXT, "detected_at" TEXT NOT NULL, "importance" VARCHAR(255) NOT NULL, "topic_id" INTEGER, "location_id" INTEGER, "status" VARCHAR(255) NOT NULL, "regulation" VARCHAR(255) NOT NULL, "routing_mode" VARCHAR(255) NOT NULL, "external_deadline" TEXT, "answer_due_at" TEXT, "answered_at" TEXT, "closure" VARCHAR(255), "closure_note" TEXT NOT NULL, "appeal_number" VARCHAR(255) NOT NULL, "appeal_date" DATE, "repeat_of_id" INTEGER, "manager_notified_at" TEXT, "registered_by_id" INTEGER, "curator_id" INTEGER, "note" TEXT NOT NULL, FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE SET NULL, FOREIGN KEY ("topic_id") REFERENCES "topic" ("id") ON DELETE SET NULL, FOREIGN KEY ("location_id") REFERENCES "location" ("id") ON DELETE SET NULL, FOREIGN KEY ("repeat_of_id") REFERENCES "incident" ("id") ON DELETE SET NULL, FOREIGN KEY ("registered_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL, FOREIGN KEY ("curator_id") REFERENCES "employee" ("id") ON DELETE SET NULL);
CREATE UNIQUE INDEX "incident_number" ON "incident" ("number");
CREATE INDEX "incident_external_number" ON "incident" ("external_number");
CREATE INDEX "incident_account_id" ON "incident" ("account_id");
CREATE INDEX "incident_link_key" ON "incident" ("link_key");
CREATE INDEX "incident_topic_id" ON "incident" ("topic_id");
CREATE INDEX "incident_location_id" ON "incident" ("location_id");
CREATE INDEX "incident_status" ON "incident" ("status");
CREATE INDEX "incident_answer_due_at" ON "incident" ("answer_due_at");
CREATE INDEX "incident_repeat_of_id" ON "incident" ("repeat_of_id");
CREATE INDEX "incident_registered_by_id" ON "incident" ("registered_by_id");
CREATE INDEX "incident_curator_id" ON "incident" ("curator_id");
CREATE TABLE "assignment" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "updated_at" TEXT NOT NULL, "updated_by" VARCHAR(255) NOT NULL, "incident_id" INTEGER NOT NULL, "department_id" INTEGER NOT NULL, "executor_id" INTEGER, "position" INTEGER NOT NULL, "is_consolidator" INTEGER NOT NULL, "status" VARCHAR(255) NOT NULL, "routed_at" TEXT NOT NULL, "return_reason" TEXT NOT NULL, FOREIGN KEY ("incident_id") REFERENCES "incident" ("id") ON DELETE CASCADE, FOREIGN KEY ("department_id") REFERENCES "department" ("id") ON DELETE RESTRICT, FOREIGN KEY ("executor_id") REFERENCES "employee" ("id") ON DELETE SET NULL);
CREATE INDEX "assignment_incident_id" ON "assignment" ("incident_id");
CREATE INDEX "assignment_department_id" ON "assignment" ("department_id");
CREATE INDEX "assignment_executor_id" ON "assignment" ("executor_id");
CREATE INDEX "assignment_incident_id_department_id" ON "assignment" ("incident_id", "department_id");
CREATE TABLE "answer_version" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "updated_at" TEXT NOT NULL, "updated_by" VARCHAR(255) NOT NULL, "incident_id" INTEGER NOT NULL, "assignment_id" INTEGER, "kind" VARCHAR(255) NOT NULL, "number" INTEGER NOT NULL, "text" TEXT NOT NULL, "status" VARCHAR(255) NOT NULL, "author_id" INTEGER, "created_at" TEXT NOT NULL, "submitted_at" TEXT, FOREIGN KEY ("incident_id") REFERENCES "incident" ("id") ON DELETE CASCADE, FOREIGN KEY ("assignment_id") REFERENCES "assignment" ("id") ON DELETE SET NULL, FOREIGN KEY ("author_id") REFERENCES "employee" ("id") ON DELETE SET NULL);
CREATE INDEX "answer_version_incident_id" ON "answer_version" ("incident_id");
CREATE INDEX "answer_version_assignment_id" ON "answer_version" ("assignment_id");
CREATE INDEX "answer_version_author_id" ON "answer_version" ("author_id");
CREATE TABLE "attachment" ("id" INTEGER NOT NULL PRIMARY KEY, "incident_id" INTEGER, "answer_id" INTEGER, "file_name" VARCHAR(255) NOT NULL, "sha256" VARCHAR(255) NOT NULL, "size" INTEGER NOT NULL, "mime_type" VARCHAR(255) NOT NULL, "added_by_id" INTEGER, "added_at" TEXT NOT NULL, FOREIGN KEY ("incident_id") REFERENCES "incident" ("id") ON DELETE CASCADE, FOREIGN KEY ("answer_id") REFERENCES "answer_version" ("id") ON DELETE CASCADE, FOREIGN KEY ("added_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL);
CREATE INDEX "attachment_incident_id" ON "attachment" ("incident_id");
CREATE INDEX "attachment_answer_id" ON "attachment" ("answer_id");
CREATE INDEX "attachment_sha256" ON "attachment" ("sha256");
CREATE INDEX "attachment_added_by_id" ON "attachment" ("added_by_id");
CREATE TABLE "audit_event" ("id" INTEGER NOT NULL PRIMARY KEY, "at" TEXT NOT NULL, "actor_login" VARCHAR(255) NOT NULL, "actor_id" INTEGER, "entity" VARCHAR(255) NOT NULL, "entity_id" INTEGER NOT NULL, "incident_id" INTEGER, "action" VARCHAR(255) NOT NULL, "before" TEXT, "after" TEXT, "prev_hash" VARCHAR(255) NOT NULL, "hash" VARCHAR(255) NOT NULL, FOREIGN KEY ("actor_id") REFERENCES "employee" ("id") ON DELETE SET NULL);
CREATE INDEX "audit_event_actor_id" ON "audit_event" ("actor_id");
CREATE INDEX "audit_event_incident_id" ON "audit_event" ("incident_id");
CREATE TABLE "calendar_override" ("id" INTEGER NOT NULL PRIMARY KEY, "version" INTEGER NOT NULL, "updated_at" TEXT NOT NULL, "updated_by" VARCHAR(255) NOT NULL, "day" DATE NOT NULL, "kind" VARCHAR(255) NOT NULL, "note" VARCHAR(255) NOT NULL);
CREATE UNIQUE INDEX "calendar_override_day" ON "calendar_override" ("day");
CREATE TABLE "employee_role" ("id" INTEGER NOT NULL PRIMARY KEY, "employee_id" INTEGER NOT NULL, "role" VARCHAR(255) NOT NULL, FOREIGN KEY ("employee_id") REFERENCES "employee" ("id") ON DELETE CASCADE);
CREATE INDEX "employee_role_employee_id" ON "employee_role" ("employee_id");
CREATE UNIQUE INDEX "employee_role_employee_id_role" ON "employee_role" ("employee_id", "role");
CREATE TABLE "publication" ("id" INTEGER NOT NULL PRIMARY KEY, "incident_id" INTEGER NOT NULL, "answer_id" INTEGER, "mode" VARCHAR(255) NOT NULL, "url" VARCHAR(255) NOT NULL, "published_at" TEXT NOT NULL, "published_by_id" INTEGER, FOREIGN KEY ("incident_id") REFERENCES "incident" ("id") ON DELETE CASCADE, FOREIGN KEY ("answer_id") REFERENCES "answer_version" ("id") ON DELETE SET NULL, FOREIGN KEY ("published_by_id") REFERENCES "employee" ("id") ON DELETE SET NULL);
CREATE INDEX "publication_incident_id" ON "publication" ("incident_id");
CREATE INDEX "publication_answer_id" ON "publication" ("answer_id");
CREATE INDEX "publication_published_by_id" ON "publication" ("published_by_id");
CREATE TABLE "review" ("id" INTEGER NOT NULL PRIMARY KEY, "answer_id" INTEGER NOT NULL, "stage" VARCHAR(255) NOT NULL, "reviewer_id" INTEGER, "decision" VARCHAR(255) NOT NULL, "reasons" TEXT NOT NULL, "comment" TEXT NOT NULL, "decided_at" TEXT NOT NULL, FOREIGN KEY ("answer_id") REFERENCES "answer_version" ("id") ON DELETE CASCADE, FOREIGN KEY ("reviewer_id") REFERENCES "employee" ("id") ON DELETE SET NULL);
CREATE INDEX "review_answer_id" ON "review" ("answer_id");
CREATE INDEX "review_reviewer_id" ON "review" ("reviewer_id");
CREATE TABLE "setting" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL);
CREATE TABLE "step" ("id" INTEGER NOT NULL PRIMARY KEY, "incident_id" INTEGER NOT NULL, "assignment_id" INTEGER, "kind" VARCHAR(255) NOT NULL, "started_at" TEXT NOT NULL, "due_at" TEXT, "done_at" TEXT, "responsible_id" INTEGER, "department_id" INTEGER, "rule" VARCHAR(255) NOT NULL, FOREIGN KEY ("incident_id") REFERENCES "incident" ("id") ON DELETE CASCADE, FOREIGN KEY ("assignment_id") REFERENCES "assignment" ("id") ON DELETE CASCADE, FOREIGN KEY ("responsible_id") REFERENCES "employee" ("id") ON DELETE SET NULL, FOREIGN KEY ("department_id") REFERENCES "department" ("id") ON DELETE SET NULL);
CREATE INDEX "step_incident_id" ON "step" ("incident_id");
CREATE INDEX "step_assignment_id" ON "step" ("assignment_id");
CREATE INDEX "step_responsible_id" ON "step" ("responsible_id");
CREATE INDEX "step_department_id" ON "step" ("department_id");
CREATE INDEX "step_incident_id_kind" ON "step" ("incident_id", "kind");
CREATE INDEX "step_done_at_due_at" ON "step" ("done_at", "due_at");
CREATE TABLE "change_log" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "entity" VARCHAR(255) NOT NULL, "row_id" INTEGER NOT NULL, "op" VARCHAR(255) NOT NULL, "at" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')));
"""

TRACKED_TABLES = (
    "setting",
    "department",
    "employee",
    "employee_role",
    "absence",
    "topic",
    "location",
    "account",
    "incident",
    "assignment",
    "step",
    "answer_version",
    "review",
    "publication",
    "attachment",
    "calendar_override",
)

_TRIGGER = """
CREATE TRIGGER "change_log_{table}_{op}" AFTER {verb} ON "{table}"
BEGIN INSERT INTO "change_log" ("entity", "row_id", "op") VALUES ('{table}', {row}.rowid, '{op}'); END
"""


def trigger_statements() -> list[str]:
    verbs = (("insert", "INSERT", "NEW"), ("update", "UPDATE", "NEW"), ("delete", "DELETE", "OLD"))
    return [
        _TRIGGER.format(table=table, op=op, verb=verb, row=row).strip()
        for table in TRACKED_TABLES
        for op, verb, row in verbs
    ]


def up(db: peewee.Database) -> None:
    for statement in TABLES.split(";\n"):
        if statement.strip():
            db.execute_sql(statement)
    for statement in trigger_statements():
        db.execute_sql(statement)
