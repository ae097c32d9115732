"""The office's answer templates: the built-in library, filling one in, and the administrator's
(or curator's) audited, versioned edits."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from desk import Desk

from desktop.models.entities import AuditEvent, Location, Setting, Topic
from desktop.models.enums import AnswerKind, ExplanationGround, Role
from desktop.services import answer_templates as templates_module
from desktop.services.answer_templates import (
    FIELD_NAMES,
    TEMPLATES_KEY,
    AnswerTemplate,
    TemplateFields,
    TemplateInput,
    add_template,
    answer_templates,
    builtin_templates,
    fill_template,
    gaps,
    set_template_active,
    template_fields,
    template_library,
    update_template,
)
from desktop.services.errors import AccessDenied, ConflictError, ValidationError
from desktop.services.incidents import RouteTarget
from desktop.services.office import Office
from desktop.services.session import CurrentUser
from desktop.services.titles import EXPLANATION_GROUND_TITLES

MakeUser = Callable[..., CurrentUser]


@pytest.fixture
def admin(office: Office, make_user: MakeUser) -> CurrentUser:
    return make_user("admin", Role.ADMINISTRATOR, full_name="Админова Анна")


# --- the built-in library ------------------------------------------------------------------


def test_the_defaults_cover_every_ground_and_the_common_answers(office: Office) -> None:
    shipped = answer_templates()
    assert [t.slug for t in shipped] == [t.slug for t in builtin_templates()]
    assert all(t.builtin and t.active for t in shipped)
    explanations = [t for t in shipped if t.kind is AnswerKind.EXPLANATION]
    assert sorted(t.ground for t in explanations if t.ground) == sorted(ExplanationGround)
    by_slug = {t.slug: t for t in shipped}
    assert by_slug["interim-taken"].title == "Принято в работу"
    assert "{срок_окончательного}" in by_slug["interim-taken"].text
    assert by_slug["thanks"].kind is None  # thanks go with any kind of answer
    assert by_slug["clarification-question"].kind is AnswerKind.CLARIFICATION
    # Охинский 3.7: what each explanation must contain.
    assert "статья 10" in by_slug["explanation-abuse-of-right"].text
    assert "суд" in by_slug["explanation-court-acts"].text
    assert "уже рассматривали" in by_slug["explanation-already-answered"].text
    for template in shipped:  # only fields the library knows
        assert all(name.strip("{}") in FIELD_NAMES for name in gaps(template.text) if "{" in name)
    assert not Setting.select().where(Setting.key == TEMPLATES_KEY).exists()
    assert template_library().version == 0


def test_templates_for_a_kind_put_that_kind_first_then_the_general(office: Office) -> None:
    interim = answer_templates(AnswerKind.INTERIM)
    assert [t.slug for t in interim] == ["interim-taken", "thanks"]
    explanation = answer_templates(AnswerKind.EXPLANATION)
    assert [t.ground for t in explanation[:4]] == list(ExplanationGround)
    assert explanation[-1].slug == "thanks"
    assert {t.slug for t in answer_templates(AnswerKind.PART)} == {"thanks"}


def test_ground_titles_are_russian(office: Office) -> None:
    assert EXPLANATION_GROUND_TITLES[ExplanationGround.COURT_ACTS] == "обжалование судебных актов"


# --- filling in ----------------------------------------------------------------------------


def test_fields_with_values_are_filled_and_the_rest_stay_visible() -> None:
    template = AnswerTemplate(
        "t",
        "Т",
        None,
        None,
        "{имя_автора}, по сообщению № {номер} ({тема}) ответим до {срок_ответа}. "
        "{неизвестное} и {отдел} [[что сделано]]",
    )
    filled = fill_template(
        template,
        TemplateFields(author_name="Анна", number="17", answer_due="12.03.2025 18:00", topic=" "),
    )
    assert filled == (
        "Анна, по сообщению № 17 ({тема}) ответим до 12.03.2025 18:00. "
        "{неизвестное} и {отдел} [[что сделано]]"
    )
    # What the writer still has to deal with, in reading order; unknown braces are text.
    assert gaps(filled) == ["{тема}", "{отдел}", "[[что сделано]]"]
    assert gaps("Готово. {не поле} [ссылка]") == []


def test_fields_for_a_message_come_from_the_card_and_office_time(office: Office) -> None:
    desk = Desk(office, "otradnensky-2021")
    topic = Topic.create(name="Дороги", updated_by="test")
    place = Location.create(name="ст. Отрадная", updated_by="test")
    desk.at(30, 10, 0, month=4)  # Wednesday 30.04.2025, before the May holidays
    incident = desk.register(author_name="Анна Петрова", topic_id=topic.id, location_id=place.id)
    desk.svc(desk.curator).route(incident, [RouteTarget(desk.dept("ЖКХ"))])
    executor = desk.executors["ЖКХ"]
    fields = template_fields(executor, incident, now=desk.now)
    assert fields.author_name == "Анна Петрова"
    assert fields.number == str(desk.incident(incident).number)
    assert (fields.topic, fields.location) == ("Дороги", "ст. Отрадная")
    assert (fields.department, fields.executor) == ("ЖКХ", "Executor0 Тест")
    assert fields.answer_due == "05.05.2025 11:00"  # 8 working hours over the holidays
    assert fields.final_due == "15.05.2025 18:00"  # п. 18: 7 working days after today
    assert fields.date == "30.04.2025"
    text = fill_template(answer_templates(AnswerKind.INTERIM)[0], fields)
    assert text.startswith("Анна Петрова, здравствуйте!")
    assert "им занимается ЖКХ" in text and "не позднее 15.05.2025 18:00" in text
    assert gaps(text) == []


def test_a_regulation_without_interim_answers_leaves_that_field_open(office: Office) -> None:
    desk = Desk(office, "okhinsky-2023")
    incident = desk.register()
    fields = template_fields(desk.curator, incident, now=desk.now)
    assert fields.final_due == "" and fields.department == "" and fields.topic == ""
    assert "{срок_окончательного}" in fill_template(answer_templates(AnswerKind.INTERIM)[0], fields)


# --- the administrator's edits ---------------------------------------------------------------


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id))


def test_add_update_archive_restore_are_versioned_and_audited(admin: CurrentUser) -> None:
    added = add_template(
        admin,
        TemplateInput("Вывоз мусора", "{имя_автора}, мусор вывезут {дата}.", AnswerKind.FINAL),
        expected_version=0,
    )
    assert added.slug == "office-1" and not added.builtin
    library = template_library()
    assert library.version == 1 and library.updated_by == "Админова Анна"
    assert [t.slug for t in library.templates][-1] == "office-1"
    assert len(library.templates) == len(builtin_templates()) + 1  # the defaults were kept
    assert added in answer_templates(AnswerKind.FINAL)

    changed = update_template(
        admin,
        "interim-taken",
        TemplateInput("Принято в работу", "Вопрос у нас в работе.", AnswerKind.INTERIM),
        expected_version=1,
    )
    assert changed.builtin and changed.text == "Вопрос у нас в работе."
    assert answer_templates(AnswerKind.INTERIM)[0].text == "Вопрос у нас в работе."

    set_template_active(admin, "thanks", False, expected_version=2)
    assert "thanks" not in {t.slug for t in answer_templates()}
    assert not next(t for t in template_library().templates if t.slug == "thanks").active
    set_template_active(admin, "thanks", True, expected_version=3)
    assert "thanks" in {t.slug for t in answer_templates()}
    assert template_library().version == 4

    [add] = _events("add_answer_template")
    assert add.after["answer_templates"]["title"] == "Вывоз мусора"
    assert add.after["version"] == 1 and add.actor_login == "admin"
    [update] = _events("update_answer_template")
    assert update.before["answer_templates"]["text"].startswith("{имя_автора}, здравствуйте!")
    assert update.after["answer_templates"]["text"] == "Вопрос у нас в работе."
    assert len(_events("archive_answer_template")) == 1
    assert len(_events("restore_answer_template")) == 1


def test_an_edit_over_a_stale_version_is_a_conflict_naming_who(
    admin: CurrentUser, make_user: MakeUser
) -> None:
    curator = make_user("curator", Role.CURATOR, full_name="Кураторова Ольга")
    add_template(curator, TemplateInput("Свет", "Свет дадут завтра."), expected_version=0)
    with pytest.raises(ConflictError) as raised:
        update_template(admin, "thanks", TemplateInput("Спасибо", "Спасибо!"), expected_version=0)
    assert raised.value.changed_by == "Кураторова Ольга"
    assert raised.value.current_version == 1
    with pytest.raises(ConflictError):
        set_template_active(admin, "thanks", False, expected_version=0)
    assert template_library().version == 1  # nothing was overwritten


def test_nothing_changed_writes_nothing(admin: CurrentUser) -> None:
    thanks = next(t for t in builtin_templates() if t.slug == "thanks")
    same = TemplateInput(thanks.title, thanks.text, thanks.kind, thanks.ground)
    assert update_template(admin, "thanks", same, expected_version=0) == thanks
    assert set_template_active(admin, "thanks", True, expected_version=0) == thanks
    assert template_library().version == 0 and not _events("update_answer_template")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (TemplateInput(" ", "Текст"), "Название шаблона"),
        (TemplateInput("Т", "  \n "), "Текст шаблона"),
        (TemplateInput("Т", "{имя автора}, {фамилия}"), r"неизвестные поля: \{имя автора\}"),
        (
            TemplateInput("Т", "Текст", AnswerKind.FINAL, ExplanationGround.COURT_ACTS),
            "только у шаблона разъяснения",
        ),
        (TemplateInput("благодарность", "Спасибо"), "уже есть"),
    ],
)
def test_a_bad_template_is_refused(admin: CurrentUser, data: TemplateInput, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        add_template(admin, data, expected_version=0)
    assert template_library().version == 0


def test_text_is_kept_with_its_paragraphs(admin: CurrentUser) -> None:
    added = add_template(
        admin, TemplateInput("  Два   абзаца ", "Первый.  \r\n\r\nВторой.\n"), expected_version=0
    )
    assert (added.title, added.text) == ("Два абзаца", "Первый.\n\nВторой.")


def test_only_the_administrator_and_the_curator_edit(office: Office, make_user: MakeUser) -> None:
    executor = make_user("executor", Role.EXECUTOR)
    with pytest.raises(AccessDenied, match="вести шаблоны ответов"):
        add_template(executor, TemplateInput("Т", "Текст"), expected_version=0)
    with pytest.raises(AccessDenied):
        set_template_active(executor, "thanks", False, expected_version=0)
    assert answer_templates()  # everyone reads them
    assert template_library().version == 0


def test_a_template_shipped_later_joins_the_offices_list(
    admin: CurrentUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_template_active(admin, "thanks", False, expected_version=0)
    newer = AnswerTemplate("new-one", "Новый", None, None, "Новый текст", builtin=True)
    shipped = builtin_templates()
    monkeypatch.setattr(templates_module, "builtin_templates", lambda: (*shipped, newer))
    slugs = [t.slug for t in template_library().templates]
    assert slugs[-1] == "new-one" and slugs.count("thanks") == 1
    assert "thanks" not in {t.slug for t in answer_templates()}  # the office's archive stays


def test_unknown_slug_is_a_validation_error(admin: CurrentUser) -> None:
    with pytest.raises(ValidationError, match="Нет шаблона"):
        set_template_active(admin, "nope", False, expected_version=0)
