"""The Russian words the UI, the CLI and the reports use for the domain's enums."""

from __future__ import annotations

from desktop.models.enums import Importance, IncidentStatus, Network

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

assert set(NETWORK_TITLES) == set(Network)
assert set(STATUS_TITLES) == set(IncidentStatus)
