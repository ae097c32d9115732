"""The Russian words the UI, the CLI and the reports use for the domain's enums."""

from __future__ import annotations

from desktop.models.enums import (
    AnswerKind,
    AssignmentStatus,
    ExplanationGround,
    Importance,
    IncidentStatus,
    Network,
    PublicationMode,
    ReturnReason,
    ReviewDecision,
    RoutingMode,
    StepKind,
)
from desktop.services.regulations import StepName

# Months as a calendar or a report's title names them («отчёт за октябрь 2026»).
MONTH_NAMES: tuple[str, ...] = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)

NETWORK_TITLES: dict[Network, str] = {
    Network.VK: "ВКонтакте",
    Network.OK: "Одноклассники",
    Network.TELEGRAM: "Telegram",
    Network.MAX: "Max",
    Network.WHATSAPP: "WhatsApp",
    Network.INSTAGRAM: "Instagram",
    Network.FACEBOOK: "Facebook",
    Network.X: "X (Twitter)",
    Network.INCIDENT_MANAGER: "Инцидент Менеджмент",
    Network.POS: "ПОС",
    Network.EMAIL: "Эл. почта",
    Network.OTHER: "Другое",
}

STATUS_TITLES: dict[IncidentStatus, str] = {
    IncidentStatus.NEW: "Новое",
    IncidentStatus.ROUTED: "В работе у отдела",
    IncidentStatus.RETURNED: "Возвращено: не по компетенции",
    IncidentStatus.CLARIFICATION: "Запрошено уточнение",
    IncidentStatus.ON_APPROVAL: "На согласовании",
    IncidentStatus.REWORK: "На доработке",
    IncidentStatus.APPROVED: "Согласовано, ждёт размещения",
    IncidentStatus.INTERIM: "Дан промежуточный ответ",
    IncidentStatus.ANSWERED: "Ответ размещён",
    IncidentStatus.NOT_TO_ANSWER: "Не подлежит ответу",
    IncidentStatus.OFFICIAL_APPEAL: "Передано как обращение (59-ФЗ)",
    IncidentStatus.RETURNED_UPSTREAM: "Возвращено куратору города",
}

IMPORTANCE_TITLES: dict[Importance, str] = {
    Importance.NORMAL: "обычная",
    Importance.HIGH: "высокая",
}

STEP_TITLES: dict[StepName, str] = {
    StepName.ROUTE: "Направить в отдел",
    StepName.REROUTE: "Перенаправить после возврата",
    StepName.COMPETENCE_CHECK: "Проверить компетенцию",
    StepName.CLARIFICATION: "Запросить уточнение",
    StepName.PART: "Часть сводного ответа",
    StepName.DRAFT: "Проект ответа",
    StepName.DEPARTMENT_APPROVAL: "Согласование руководителем органа",
    StepName.REVIEW: "Согласование куратором",
    StepName.REWORK: "Доработка",
    StepName.PUBLISH: "Разместить ответ",
    StepName.ANSWER: "Срок ответа",
    StepName.FINAL_AFTER_INTERIM: "Окончательный ответ после промежуточного",
    StepName.EXPLANATION: "Разъяснение",
}

STEP_KIND_TITLES: dict[StepKind, str] = {
    **{StepKind(name.value): title for name, title in STEP_TITLES.items()},
    StepKind.REPORT: "Доложить руководству",
}

ROUTING_MODE_TITLES: dict[RoutingMode, str] = {
    RoutingMode.PARALLEL: "параллельно, каждый отдел отвечает за свою часть",
    RoutingMode.SEQUENTIAL: "последовательно, в заданном порядке",
    RoutingMode.CONTROLLER_CONSOLIDATES: "параллельно, сводный ответ готовит куратор",
}

ASSIGNMENT_STATUS_TITLES: dict[AssignmentStatus, str] = {
    AssignmentStatus.ASSIGNED: "ждёт очереди",
    AssignmentStatus.IN_WORK: "в работе",
    AssignmentStatus.RETURNED: "вернул: не по компетенции",
    AssignmentStatus.DONE: "выполнил",
}

ANSWER_KIND_TITLES: dict[AnswerKind, str] = {
    AnswerKind.FINAL: "ответ",
    AnswerKind.INTERIM: "промежуточный ответ",
    AnswerKind.EXPLANATION: "разъяснение",
    AnswerKind.CLARIFICATION: "уточняющий вопрос",
    AnswerKind.PART: "часть сводного ответа",
}

# Отрадненский п. 14: the four reasons a draft goes back, and "other".
RETURN_REASON_TITLES: dict[ReturnReason, str] = {
    ReturnReason.NOT_MATCHING_QUESTION: "не соответствует сути вопроса",
    ReturnReason.FORMAT: "не соответствует требованиям к ответу",
    ReturnReason.REDIRECTS_ELSEWHERE: "переадресация в другой орган",
    ReturnReason.SPELLING: "орфографические и пунктуационные ошибки",
    ReturnReason.OTHER: "другое",
}

# Охинский п. 3.7: why an explanation is given instead of an answer on the substance.
EXPLANATION_GROUND_TITLES: dict[ExplanationGround, str] = {
    ExplanationGround.NOT_IN_COMPETENCE: "вопрос не относится к компетенции ОМСУ",
    ExplanationGround.ABUSE_OF_RIGHT: "действия в обход закона (злоупотребление правом)",
    ExplanationGround.COURT_ACTS: "обжалование судебных актов",
    ExplanationGround.ALREADY_ANSWERED: "по существу вопроса ответ уже давался неоднократно",
}

PUBLICATION_MODE_TITLES: dict[PublicationMode, str] = {
    PublicationMode.PUBLIC_COMMENT: "ответ под сообщением (комментарий)",
    PublicationMode.PRIVATE_MESSAGE: "личное сообщение автору",
    PublicationMode.OWN_ACCOUNT: "публикация в аккаунте офиса со ссылкой на автора",
    PublicationMode.SITE: "информационное сообщение на сайте",
    PublicationMode.UPSTREAM: "передан куратору города",
}

REVIEW_DECISION_TITLES: dict[ReviewDecision, str] = {
    ReviewDecision.APPROVE: "согласовал(а)",
    ReviewDecision.APPROVE_WITH_EDITS: "согласовал(а) с правками",
    ReviewDecision.RETURN: "вернул(а) на доработку",
}

assert set(NETWORK_TITLES) == set(Network)
assert set(ROUTING_MODE_TITLES) == set(RoutingMode)
assert set(ASSIGNMENT_STATUS_TITLES) == set(AssignmentStatus)
assert set(ANSWER_KIND_TITLES) == set(AnswerKind)
assert set(RETURN_REASON_TITLES) == set(ReturnReason)
assert set(REVIEW_DECISION_TITLES) == set(ReviewDecision)
assert set(EXPLANATION_GROUND_TITLES) == set(ExplanationGround)
assert set(PUBLICATION_MODE_TITLES) == set(PublicationMode)
assert set(STEP_KIND_TITLES) == set(StepKind)
assert set(STEP_TITLES) == set(StepName)
assert set(STATUS_TITLES) == set(IncidentStatus)
