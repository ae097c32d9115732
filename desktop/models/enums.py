"""Closed vocabularies of the domain, stored in the database by their string values."""

from enum import StrEnum


class Role(StrEnum):
    OPERATOR = "operator"
    CURATOR = "curator"
    EXECUTOR = "executor"
    DEPARTMENT_HEAD = "department_head"
    MANAGER = "manager"
    ADMINISTRATOR = "administrator"


class Network(StrEnum):
    VK = "vk"
    OK = "ok"
    TELEGRAM = "telegram"
    MAX = "max"
    WHATSAPP = "whatsapp"
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    X = "x"
    INCIDENT_MANAGER = "incident_manager"
    POS = "pos"
    EMAIL = "email"
    OTHER = "other"


class AccountOwner(StrEnum):
    ADMINISTRATION = "administration"
    HEAD = "head"
    GOVERNOR = "governor"
    DEPARTMENT = "department"


class DepartmentKind(StrEnum):
    SECTORAL = "sectoral"  # отраслевой (функциональный) орган, отдел
    TERRITORIAL = "territorial"  # территориальное управление


class LocationKind(StrEnum):
    CITY = "city"
    DISTRICT = "district"
    SETTLEMENT = "settlement"


class AbsenceKind(StrEnum):
    VACATION = "vacation"
    SICK_LEAVE = "sick_leave"
    BUSINESS_TRIP = "business_trip"
    OTHER = "other"


class Importance(StrEnum):
    NORMAL = "normal"
    HIGH = "high"


class IncidentSource(StrEnum):
    MONITORING = "monitoring"  # the regional monitoring system («Инцидент Менеджмент», ПОС)
    OWN_SEARCH = "own_search"  # found by the office itself
    UPSTREAM = "upstream"  # sent down by a city curator (Барнаул)


class IncidentStatus(StrEnum):
    NEW = "new"  # registered, waits for routing
    ROUTED = "routed"  # in a department's work
    RETURNED = "returned"  # returned by a department as not in its competence
    CLARIFICATION = "clarification"  # a question to the author is out, waiting for the reply
    ON_APPROVAL = "on_approval"  # a draft waits for the deputy's or the curator's decision
    REWORK = "rework"  # a draft was returned with reasons
    APPROVED = "approved"  # approved, waits for publication
    INTERIM = "interim"  # an interim answer is published, the final one is due
    ANSWERED = "answered"  # the final answer is published
    NOT_TO_ANSWER = "not_to_answer"  # threats, obscenity, insults, intent to harm
    OFFICIAL_APPEAL = "official_appeal"  # turned into an appeal under 59-FZ
    RETURNED_UPSTREAM = "returned_upstream"  # not the district's: back to the city curator

    @property
    def is_open(self) -> bool:
        return self not in CLOSED_STATUSES


CLOSED_STATUSES = frozenset(
    {
        IncidentStatus.ANSWERED,
        IncidentStatus.NOT_TO_ANSWER,
        IncidentStatus.OFFICIAL_APPEAL,
        IncidentStatus.RETURNED_UPSTREAM,
    }
)


class AssignmentStatus(StrEnum):
    ASSIGNED = "assigned"
    IN_WORK = "in_work"
    RETURNED = "returned"  # not in competence
    DONE = "done"


class StepKind(StrEnum):
    ROUTE = "route"
    REROUTE = "reroute"  # routing again after a department returned the message
    REPORT = "report"  # the immediate report to management of a high-importance message
    COMPETENCE_CHECK = "competence_check"
    CLARIFICATION = "clarification"
    DRAFT = "draft"
    PART = "part"  # one department's part of a consolidated answer
    DEPARTMENT_APPROVAL = "department_approval"
    REVIEW = "review"
    REWORK = "rework"
    PUBLISH = "publish"
    ANSWER = "answer"  # the overall answer deadline
    FINAL_AFTER_INTERIM = "final_after_interim"
    EXPLANATION = "explanation"


class AnswerKind(StrEnum):
    FINAL = "final"
    INTERIM = "interim"
    EXPLANATION = "explanation"
    CLARIFICATION = "clarification"
    PART = "part"


class AnswerStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"  # approved with the curator's edits: the edited version stands


class ReviewStage(StrEnum):
    DEPARTMENT = "department"  # the supervising deputy (Барнаул)
    CURATOR = "curator"


class ReviewDecision(StrEnum):
    APPROVE = "approve"
    APPROVE_WITH_EDITS = "approve_with_edits"
    RETURN = "return"


class ReturnReason(StrEnum):
    NOT_MATCHING_QUESTION = "not_matching_question"
    FORMAT = "format"
    REDIRECTS_ELSEWHERE = "redirects_elsewhere"
    SPELLING = "spelling"
    OTHER = "other"


class PublicationMode(StrEnum):
    PUBLIC_COMMENT = "public_comment"
    PRIVATE_MESSAGE = "private_message"
    OWN_ACCOUNT = "own_account"  # posted from the office's account with a link to the author
    SITE = "site"  # also as an information message on the site (Охинский 3.5)
    UPSTREAM = "upstream"  # sent up to the city curator (Барнаул)


class Closure(StrEnum):
    NOT_TO_ANSWER = "not_to_answer"
    OFFICIAL_APPEAL = "official_appeal"
    RETURNED_UPSTREAM = "returned_upstream"


class ExplanationGround(StrEnum):
    """Охинский 3.7: why an explanation is given instead of an answer on the substance."""

    NOT_IN_COMPETENCE = "not_in_competence"
    ABUSE_OF_RIGHT = "abuse_of_right"
    COURT_ACTS = "court_acts"
    ALREADY_ANSWERED = "already_answered"


class RoutingMode(StrEnum):
    PARALLEL = "parallel"
    SEQUENTIAL = "sequential"
    CONTROLLER_CONSOLIDATES = "controller_consolidates"


class CalendarOverrideKind(StrEnum):
    WORKING = "working"
    DAY_OFF = "day_off"
    SHORTENED = "shortened"
