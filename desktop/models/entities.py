"""The tables of an office database.

Designed for the whole incident workflow (routing, drafts, reviews, publication) so later
features add columns through migrations rather than reshape tables. Moments are aware UTC
datetimes; the office's time zone lives in the settings.
"""

from __future__ import annotations

import peewee
from playhouse.fields import EnumField

from desktop.models.base import BaseModel, VersionedModel
from desktop.models.enums import (
    AbsenceKind,
    AccountOwner,
    AnswerKind,
    AnswerStatus,
    AssignmentStatus,
    CalendarOverrideKind,
    Closure,
    DepartmentKind,
    Importance,
    IncidentSource,
    IncidentStatus,
    LocationKind,
    Network,
    PublicationMode,
    ReviewDecision,
    ReviewStage,
    Role,
    RoutingMode,
    StepKind,
)
from desktop.models.fields import JsonField, UtcDateTimeField, utcnow


class Setting(BaseModel):
    """Office-wide settings shared by every workstation (per-user window state is QSettings)."""

    key = peewee.CharField(primary_key=True)
    value = JsonField()


class Department(VersionedModel):
    name = peewee.CharField(unique=True)
    short_name = peewee.CharField(default="")
    kind = EnumField(DepartmentKind, default=DepartmentKind.SECTORAL)
    email = peewee.CharField(default="")
    phone = peewee.CharField(default="")
    active = peewee.BooleanField(default=True)
    sort_order = peewee.IntegerField(default=0)


class Employee(VersionedModel):
    full_name = peewee.CharField()  # «Иванова Анна Петровна»
    position = peewee.CharField(default="")
    os_login = peewee.CharField(unique=True)  # lower case, without the domain part
    department = peewee.ForeignKeyField(Department, null=True, on_delete="SET NULL")
    department_id: int | None  # peewee's accessor for the raw key; declared for type checkers
    email = peewee.CharField(default="")
    phones = peewee.CharField(default="")
    active = peewee.BooleanField(default=True)


class EmployeeRole(BaseModel):
    employee = peewee.ForeignKeyField(Employee, backref="role_rows", on_delete="CASCADE")
    employee_id: int
    role = EnumField(Role)

    class Meta:
        indexes = ((("employee", "role"), True),)


class Absence(VersionedModel):
    employee = peewee.ForeignKeyField(Employee, backref="absences", on_delete="CASCADE")
    employee_id: int
    starts_on = peewee.DateField()
    ends_on = peewee.DateField()  # inclusive
    kind = EnumField(AbsenceKind, default=AbsenceKind.VACATION)
    substitute = peewee.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    note = peewee.CharField(default="")
    substitute_id: int | None


class Topic(VersionedModel):
    name = peewee.CharField()
    parent = peewee.ForeignKeyField("self", null=True, backref="children", on_delete="CASCADE")
    parent_id: int | None
    active = peewee.BooleanField(default=True)

    class Meta:
        indexes = ((("parent", "name"), True),)


class Location(VersionedModel):
    name = peewee.CharField()
    kind = EnumField(LocationKind, default=LocationKind.SETTLEMENT)
    parent = peewee.ForeignKeyField("self", null=True, backref="children", on_delete="CASCADE")
    active = peewee.BooleanField(default=True)

    class Meta:
        indexes = ((("parent", "name"), True),)


class Account(VersionedModel):
    network = EnumField(Network)
    name = peewee.CharField()
    url = peewee.CharField(default="")
    owner = EnumField(AccountOwner, default=AccountOwner.ADMINISTRATION)
    department = peewee.ForeignKeyField(Department, null=True, on_delete="SET NULL")
    active = peewee.BooleanField(default=True)


class Incident(VersionedModel):
    number = peewee.IntegerField(unique=True)  # the office's running number
    source = EnumField(IncidentSource, default=IncidentSource.OWN_SEARCH)
    external_number = peewee.CharField(default="", index=True)  # the monitoring system's
    network = EnumField(Network)
    account = peewee.ForeignKeyField(Account, null=True, on_delete="SET NULL")
    link = peewee.CharField(default="")
    account_id: int | None
    link_key = peewee.CharField(default="", index=True)  # normalised link for duplicates
    author_name = peewee.CharField(default="")
    author_url = peewee.CharField(default="", index=True)  # the card's «тот же автор»
    text = peewee.TextField()
    posted_at = UtcDateTimeField(null=True)
    detected_at = UtcDateTimeField()
    importance = EnumField(Importance, default=Importance.NORMAL)
    topic = peewee.ForeignKeyField(Topic, null=True, on_delete="SET NULL")
    location = peewee.ForeignKeyField(Location, null=True, on_delete="SET NULL")
    topic_id: int | None
    location_id: int | None
    status = EnumField(IncidentStatus, default=IncidentStatus.NEW, index=True)
    regulation = peewee.CharField(default="")  # preset slug the deadlines come from
    routing_mode = EnumField(RoutingMode, default=RoutingMode.PARALLEL)
    external_deadline = UtcDateTimeField(null=True)  # set by the monitoring system
    answer_due_at = UtcDateTimeField(null=True, index=True)
    answered_at = UtcDateTimeField(null=True)
    closure = EnumField(Closure, null=True)
    closure_note = peewee.TextField(default="")
    appeal_number = peewee.CharField(default="")  # 59-FZ registration
    appeal_date = peewee.DateField(null=True)
    repeat_of = peewee.ForeignKeyField("self", null=True, on_delete="SET NULL")
    repeat_of_id: int | None
    manager_notified_at = UtcDateTimeField(null=True)
    registered_by = peewee.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    curator = peewee.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    registered_by_id: int | None
    curator_id: int | None
    note = peewee.TextField(default="")
    registered_at = UtcDateTimeField(null=True)  # поступление куратору (schema 2)

    class Meta:
        # The card's «та же тема и территория»: recent messages first (schema 4).
        indexes = ((("topic", "location", "detected_at"), False),)


class Assignment(VersionedModel):
    """One department's share of an incident."""

    incident = peewee.ForeignKeyField(Incident, backref="assignments", on_delete="CASCADE")
    department = peewee.ForeignKeyField(Department, on_delete="RESTRICT")
    executor = peewee.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    incident_id: int
    department_id: int
    executor_id: int | None
    position = peewee.IntegerField(default=0)  # order in sequential mode
    is_consolidator = peewee.BooleanField(default=False)
    status = EnumField(AssignmentStatus, default=AssignmentStatus.ASSIGNED)
    routed_at = UtcDateTimeField(default=utcnow)
    return_reason = peewee.TextField(default="")

    class Meta:
        indexes = ((("incident", "department"), False),)


class Step(BaseModel):
    """One deadline-bearing step: when it started, when it was due, when it was done."""

    incident = peewee.ForeignKeyField(Incident, backref="steps", on_delete="CASCADE")
    assignment = peewee.ForeignKeyField(Assignment, null=True, on_delete="CASCADE")
    kind = EnumField(StepKind)
    started_at = UtcDateTimeField()
    due_at = UtcDateTimeField(null=True)
    done_at = UtcDateTimeField(null=True)
    responsible = peewee.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    department = peewee.ForeignKeyField(Department, null=True, on_delete="SET NULL")
    incident_id: int
    assignment_id: int | None
    responsible_id: int | None
    department_id: int | None
    rule = peewee.CharField(default="")  # the regulation's paragraph, for tooltips
    cancelled = peewee.BooleanField(default=False)  # ended without being done (schema 2)

    class Meta:
        indexes = ((("incident", "kind"), False), (("done_at", "due_at"), False))


class AnswerVersion(VersionedModel):
    incident = peewee.ForeignKeyField(Incident, backref="answers", on_delete="CASCADE")
    assignment = peewee.ForeignKeyField(Assignment, null=True, on_delete="SET NULL")
    incident_id: int
    assignment_id: int | None
    kind = EnumField(AnswerKind, default=AnswerKind.FINAL)
    number = peewee.IntegerField(default=1)  # version number within the incident and kind
    text = peewee.TextField()
    status = EnumField(AnswerStatus, default=AnswerStatus.DRAFT)
    author = peewee.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    author_id: int | None
    created_at = UtcDateTimeField(default=utcnow)
    submitted_at = UtcDateTimeField(null=True)
    ground = peewee.CharField(default="")  # ExplanationGround of an explanation (schema 2)


class Review(BaseModel):
    answer = peewee.ForeignKeyField(AnswerVersion, backref="reviews", on_delete="CASCADE")
    stage = EnumField(ReviewStage, default=ReviewStage.CURATOR)
    reviewer = peewee.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    answer_id: int
    reviewer_id: int | None
    decision = EnumField(ReviewDecision)
    reasons = JsonField(default=list)  # list of ReturnReason values
    comment = peewee.TextField(default="")
    decided_at = UtcDateTimeField(default=utcnow)


class Publication(BaseModel):
    incident = peewee.ForeignKeyField(Incident, backref="publications", on_delete="CASCADE")
    answer = peewee.ForeignKeyField(AnswerVersion, null=True, on_delete="SET NULL")
    mode = EnumField(PublicationMode, default=PublicationMode.PUBLIC_COMMENT)
    url = peewee.CharField(default="")
    published_at = UtcDateTimeField()
    published_by = peewee.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    incident_id: int
    answer_id: int | None
    published_by_id: int | None


class Attachment(BaseModel):
    """A photo or video stored beside the database on the share, named by its content hash."""

    incident = peewee.ForeignKeyField(
        Incident, null=True, backref="attachments", on_delete="CASCADE"
    )
    answer = peewee.ForeignKeyField(AnswerVersion, null=True, on_delete="CASCADE")
    file_name = peewee.CharField()  # the name the user gave it
    sha256 = peewee.CharField(index=True)
    size = peewee.IntegerField()
    mime_type = peewee.CharField(default="application/octet-stream")
    added_by = peewee.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    added_at = UtcDateTimeField(default=utcnow)


class CalendarOverride(VersionedModel):
    """An office's own change to the production calendar (a regional holiday, a decree)."""

    day = peewee.DateField(unique=True)
    kind = EnumField(CalendarOverrideKind)
    note = peewee.CharField(default="")


class AuditEvent(BaseModel):
    """An append-only, hash-chained record of a change. Never updated, never deleted."""

    at = UtcDateTimeField(default=utcnow)
    actor_login = peewee.CharField()
    actor = peewee.ForeignKeyField(Employee, null=True, on_delete="SET NULL")
    actor_id: int | None
    entity = peewee.CharField()
    entity_id = peewee.IntegerField()
    incident_id = peewee.IntegerField(null=True, index=True)  # not a FK: history outlives rows
    action = peewee.CharField()
    before = JsonField(null=True)
    after = JsonField(null=True)
    prev_hash = peewee.CharField()
    hash = peewee.CharField()


class ChangeLog(BaseModel):
    """Filled by triggers on every write, so other workstations refresh only changed rows."""

    entity = peewee.CharField()
    row_id = peewee.IntegerField()
    op = peewee.CharField()
    at = peewee.TextField()  # filled by SQLite; used only to prune old rows

    class Meta:
        table_name = "change_log"


# Not a peewee model: the FTS5 index of incidents that migration 3 creates and triggers keep
# (desktop/models/migrations/m0003_search.py). Its rowid is `incident.id`; it stores no text,
# so `desktop/services/search.py` reads only ids from it, with SQL.
SEARCH_TABLE = "incident_search"
SEARCH_COLUMNS = ("text", "author_name", "author_url", "link")


ALL_MODELS: tuple[type[BaseModel], ...] = (
    Setting,
    Department,
    Employee,
    EmployeeRole,
    Absence,
    Topic,
    Location,
    Account,
    Incident,
    Assignment,
    Step,
    AnswerVersion,
    Review,
    Publication,
    Attachment,
    CalendarOverride,
    AuditEvent,
    ChangeLog,
)

# Tables whose changes other workstations must see; each gets change_log triggers.
TRACKED_MODELS: tuple[type[BaseModel], ...] = (
    Setting,
    Department,
    Employee,
    EmployeeRole,
    Absence,
    Topic,
    Location,
    Account,
    Incident,
    Assignment,
    Step,
    AnswerVersion,
    Review,
    Publication,
    Attachment,
    CalendarOverride,
)
