"""`otklik-cli`: the command line for administrators and scheduled tasks.

A separate console entry point because on Windows the GUI executable has no console.
Known problems (unreachable share, foreign file, newer schema, tampered log) print a Russian
message and exit with a non-zero code; they never print a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from desktop import APP_NAME, __version__
from desktop.services.config import (
    DatabaseTarget,
    TargetOrigin,
    configured_target,
    parse_location,
)
from desktop.services.errors import (
    AccessDenied,
    KnownDatabaseError,
    SpellingUnavailable,
    ValidationError,
    WorkCalendarError,
)
from desktop.services.office import Office, open_office

EXIT_OK = 0
EXIT_PROBLEM = 1  # the command ran and found a problem (a tampered log, a failed check)
EXIT_REFUSED = 2  # the command could not run: bad input, unreachable or foreign database


def _target(args: argparse.Namespace) -> DatabaseTarget:
    if args.db:
        return parse_location(args.db, TargetOrigin.COMMAND_LINE)
    return configured_target()


def _open(args: argparse.Namespace, *, create: bool = False) -> Office:
    return open_office(_target(args), create=create)


def cmd_info(args: argparse.Namespace) -> int:
    from desktop.services.maintenance import database_summary

    office = _open(args)
    summary = database_summary(office)
    print(f"База данных: {office.target.location}")
    for label, value in summary:
        print(f"{label}: {value}")
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from desktop.services.audit import verify_chain
    from desktop.services.maintenance import integrity_problems

    office = _open(args)
    problems = integrity_problems(office)
    if problems:
        print("Проверка целостности файла: ОШИБКИ")
        for line in problems[:20]:
            print(f"  {line}")
    else:
        print("Проверка целостности файла: ok")
    report = verify_chain()
    if report.ok:
        print(f"Журнал изменений: ok, проверено событий: {report.checked}")
    else:
        print(
            f"Журнал изменений: НАРУШЕН. Первое изменённое событие: №{report.first_bad_id} "
            f"({report.problem}); до него проверено событий: {report.checked}"
        )
    return EXIT_OK if report.ok and not problems else EXIT_PROBLEM


def cmd_backup(args: argparse.Namespace) -> int:
    from desktop.services.backup import backup_now

    office = _open(args)
    path = backup_now(office, Path(args.to) if args.to else None)
    print(f"Резервная копия создана: {path}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from desktop.services.backup import restore

    target = _target(args)
    if not args.yes:
        print(
            "Восстановление заменит данные в базе "
            f"{target.location} содержимым файла {args.file}.\n"
            "Закройте Отклик на всех рабочих местах и повторите команду с ключом --yes."
        )
        return EXIT_REFUSED
    saved = restore(target, Path(args.file))
    print(f"База восстановлена из {args.file}. Прежняя база сохранена как {saved}")
    return EXIT_OK


def cmd_migrate(args: argparse.Namespace) -> int:
    office = _open(args)
    report = office.migration
    if report.from_version == report.to_version:
        print(f"Схема базы актуальна (версия {report.to_version}).")
    else:
        print(f"Схема обновлена с версии {report.from_version} до {report.to_version}.")
        if report.backup_path:
            print(f"Копия до обновления: {report.backup_path}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from desktop.services.demo import create_demo_database

    if args.out is None:  # the app's own demo database: generated data only, so replaced
        from desktop.services.config import demo_target

        out = demo_target().path
        fresh = out.with_name(out.name + ".new")
        fresh.unlink(missing_ok=True)
        create_demo_database(fresh, incidents=args.incidents, seed=args.seed)
        for leftover in (out.with_name(out.name + "-journal"),):
            leftover.unlink(missing_ok=True)
        fresh.replace(out)
        print(f"Демонстрационная база программы заменена: {out} ({args.incidents} сообщений)")
        return EXIT_OK
    out = Path(args.out)
    if out.exists():
        print(f"Файл {out} уже существует; укажите другой путь.", file=sys.stderr)
        return EXIT_REFUSED
    create_demo_database(out, incidents=args.incidents, seed=args.seed)
    print(f"Демонстрационная база создана: {out}")
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    """A new, empty office database on a regulation preset, in the office's time zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from desktop.models.database import bind, run_write
    from desktop.services.audit import Actor, append_event
    from desktop.services.office_calendar import OFFICE_HOURS_KEY
    from desktop.services.office_hours import OfficeHours
    from desktop.services.regulations import get_preset
    from desktop.services.session import os_login
    from desktop.services.settings import put_value

    if not args.db:
        raise ValidationError("Укажите путь нового файла базы: otklik-cli --db ПУТЬ init …")
    target = parse_location(args.db, TargetOrigin.COMMAND_LINE)
    if target.path.exists():
        print(f"Файл {target.path} уже существует; укажите другой путь.", file=sys.stderr)
        return EXIT_REFUSED
    regulation = get_preset(args.preset)
    try:
        ZoneInfo(args.tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            f"Неизвестный часовой пояс «{args.tz}»: укажите его как Europe/Moscow, Asia/Sakhalin."
        ) from None
    hours = OfficeHours.default()
    settings = {
        "regulation": regulation.slug,
        "timezone": args.tz,
        OFFICE_HOURS_KEY: hours.to_json(),
    }

    def write() -> None:
        for key, value in settings.items():
            put_value(key, value)
        append_event(
            Actor(os_login(), None), entity="setting", entity_id=0, action="init", after=settings
        )

    open_office(target, create=True, on_created=lambda: run_write(write))
    bind(None)
    print(f"База офиса создана: {target.path}")
    print(f"Порядок: {regulation.title}")
    print(f"Часовой пояс: {args.tz}")
    print(f"Рабочие часы офиса: {hours.describe()}")
    return EXIT_OK


def cmd_employee_add(args: argparse.Namespace) -> int:
    from desktop.services.session import identify
    from desktop.services.staff import add_employee, parse_roles

    _open(args)
    add_employee(
        identify(),
        full_name=args.full_name,
        os_login=args.login,
        roles=parse_roles(args.roles),
        position=args.position,
        department=args.department,
    )
    print(f"Сотрудник добавлен: {args.full_name} ({args.login})")
    return EXIT_OK


def cmd_employee_list(args: argparse.Namespace) -> int:
    from desktop.services.permissions import ROLE_TITLES
    from desktop.services.staff import list_staff

    _open(args)
    for member in list_staff():
        roles = ", ".join(sorted(ROLE_TITLES[r] for r in member.roles)) or "—"
        state = "" if member.active else " [отключён]"
        print(f"{member.os_login:<20} {member.full_name} — {roles}{state}")
    return EXIT_OK


def _hours_text(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    return f"{hours}" if not rest else f"{hours}:{rest:02d}"


def cmd_calendar(args: argparse.Namespace) -> int:
    from desktop.services.office_calendar import office_work_calendar, summarize_year
    from desktop.services.titles import MONTH_NAMES

    _open(args)
    year = args.year or dt.date.today().year
    summary = summarize_year(office_work_calendar(), year)
    print(f"Производственный календарь на {year} год: {summary.source}")
    print(f"Рабочие часы офиса: {summary.hours}")
    print()
    print(f"{'Месяц':<10} {'Дней':>5} {'Часов':>7}")
    for month in summary.months:
        name = MONTH_NAMES[month.month - 1]
        print(f"{name:<10} {month.working_days:>5} {_hours_text(month.working_time):>7}")
    print(f"{'Итого':<10} {summary.working_days:>5} {_hours_text(summary.working_time):>7}")
    sections = (
        ("Нерабочие дни с понедельника по пятницу", summary.days_off),
        ("Рабочие субботы и воскресенья", summary.working_weekend_days),
        ("Сокращённые предпраздничные дни", summary.shortened),
        ("Изменения, внесённые офисом", summary.overrides),
    )
    for title, notes in sections:
        if notes:
            print(f"\n{title}:")
            for note in notes:
                print(f"  {note.day:%d.%m.%Y}  {note.text}")
    return EXIT_OK


def _date_argument(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationError(f"Не понимаю дату «{text}»: пишите ДД.ММ.ГГГГ или ГГГГ-ММ-ДД.")


def cmd_calendar_set(args: argparse.Namespace) -> int:
    from desktop.services.office_calendar import OVERRIDE_TITLES, parse_override_kind, set_override
    from desktop.services.session import identify

    _open(args)
    day = _date_argument(args.date)
    kind = parse_override_kind(args.kind)
    set_override(identify(), day, kind, args.note)
    print(f"{day:%d.%m.%Y} в календаре офиса: {OVERRIDE_TITLES[kind]}")
    return EXIT_OK


def cmd_calendar_unset(args: argparse.Namespace) -> int:
    from desktop.services.office_calendar import remove_override
    from desktop.services.session import identify

    _open(args)
    day = _date_argument(args.date)
    remove_override(identify(), day)
    print(f"{day:%d.%m.%Y}: снова по производственному календарю")
    return EXIT_OK


def cmd_office_hours(args: argparse.Namespace) -> int:
    from desktop.services.office_calendar import office_hours, set_office_hours
    from desktop.services.office_hours import OfficeHours
    from desktop.services.session import identify

    _open(args)
    if args.hours:
        set_office_hours(identify(), OfficeHours.parse(args.hours))
    print(f"Рабочие часы офиса: {office_hours().describe()}")
    return EXIT_OK


def cmd_regulations(args: argparse.Namespace) -> int:
    from desktop.services.office_regulation import list_regulations

    _open(args)
    for choice in list_regulations():
        mark = "*" if choice.in_use else " "
        kind = "встроенный" if choice.preset else "копия"
        print(f"{mark} {choice.slug:<24} {choice.title} ({kind})")
    print("\n* — порядок, по которому регистрируются новые сообщения")
    return EXIT_OK


def cmd_regulation_show(args: argparse.Namespace) -> int:
    from desktop.services.office_regulation import regulation_by_slug
    from desktop.services.regulations import StepName
    from desktop.services.titles import STEP_TITLES

    _open(args)
    regulation = regulation_by_slug(args.slug)
    print(f"{regulation.title}\n{regulation.document}\n")
    for profile in (regulation.default, *regulation.profiles.values()):
        if profile is not regulation.default:
            print(f"\nПрофиль «{profile.title}»:")
        for step in StepName:
            for label, rules in (("", profile.steps), (" (повышенная важность)", profile.high)):
                rule = rules.get(step)
                if rule is not None:
                    print(f"  {STEP_TITLES[step]}{label}: {rule.describe()}")
    return EXIT_OK


def cmd_regulation_use(args: argparse.Namespace) -> int:
    from desktop.services.office_regulation import regulation_by_slug, use_regulation
    from desktop.services.session import identify

    _open(args)
    use_regulation(identify(), args.slug)
    print(f"Новые сообщения регистрируются по порядку «{regulation_by_slug(args.slug).title}».")
    return EXIT_OK


def cmd_regulation_export(args: argparse.Namespace) -> int:
    from desktop.services.office_regulation import regulation_by_slug

    _open(args)
    out = Path(args.out)
    if out.exists():
        print(f"Файл {out} уже существует; укажите другой путь.", file=sys.stderr)
        return EXIT_REFUSED
    out.write_text(regulation_by_slug(args.slug).source, encoding="utf-8")
    print(f"Порядок «{args.slug}» записан в {out}")
    return EXIT_OK


def cmd_regulation_import(args: argparse.Namespace) -> int:
    from desktop.services.office_regulation import save_regulation
    from desktop.services.session import identify

    _open(args)
    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValidationError(f"Не удалось прочитать {args.file}: {exc}") from exc
    regulation = save_regulation(identify(), text)
    print(f"Порядок «{regulation.slug}» сохранён в базе офиса.")
    return EXIT_OK


def cmd_regulation_copy(args: argparse.Namespace) -> int:
    from desktop.services.office_regulation import copy_regulation
    from desktop.services.session import identify

    _open(args)
    copy = copy_regulation(identify(), args.slug, args.new_slug, args.title)
    print(
        f"Копия «{copy.slug}» сохранена; измените её: regulation-export, правка, regulation-import."
    )
    return EXIT_OK


def cmd_spell(args: argparse.Namespace) -> int:
    from desktop.services.spelling import office_word_list, speller

    _open(args)
    words = office_word_list()
    checker = speller()
    text = " ".join(args.text) if args.text else sys.stdin.read()
    found = 0
    for number, line in enumerate(text.splitlines(), start=1):
        for mistake in checker.misspelled(line, words):
            found += 1
            offer = ", ".join(checker.suggestions(mistake.word, words=words)) or "нет вариантов"
            print(f"{number}:{mistake.start + 1}: {mistake.word} → {offer}")
    print(f"Ошибок: {found}" if found else "Ошибок не найдено")
    return EXIT_PROBLEM if found else EXIT_OK


def cmd_spelling_words(args: argparse.Namespace) -> int:
    from desktop.services.session import identify
    from desktop.services.spelling import add_office_word, office_words, remove_office_word

    _open(args)
    if args.add or args.remove:
        user = identify()
        for word in args.add:
            print(f"+ {word}" if add_office_word(user, word) else f"= {word}: уже в словаре")
        for word in args.remove:
            print(f"- {word}" if remove_office_word(user, word) else f"? {word}: нет в словаре")
    listed = office_words()
    print(f"Словарь офиса ({len(listed)}): {', '.join(listed) or 'пуст'}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """The monthly or weekly Excel report, for a scheduled task (by the 10th; on Fridays)."""
    from desktop.services.formatting import os_error_text
    from desktop.services.office_regulation import regulation_by_slug
    from desktop.services.report_excel import write_report
    from desktop.services.report_model import ReportQuery, heading
    from desktop.services.reports import build_report, month_period, week_period

    try:
        if args.kind == "monthly":
            year, month = (int(part) for part in args.month.split("-"))
            period = month_period(year, month)
        else:
            period = week_period(args.week)
    except ValueError:
        wanted = (
            "ГГГГ-ММ, например 2026-10" if args.kind == "monthly" else "ГГГГ-Wнн, например 2026-W44"
        )
        given = args.month if args.kind == "monthly" else args.week
        print(f"Период указывается как {wanted}: {given!r}.", file=sys.stderr)
        return EXIT_REFUSED
    _open(args)
    if args.preset:
        regulation_by_slug(args.preset)  # a typo in a scheduled task is an error, not 0 rows
    report = build_report(ReportQuery(period, regulation=args.preset))
    out = Path(args.out)
    try:
        write_report(report, out)
    except OSError as exc:
        print(f"Не удалось записать {out}: {os_error_text(exc)}.", file=sys.stderr)
        return EXIT_REFUSED
    summary = report.summary
    share = (
        "—" if summary.share_on_time is None else f"{summary.share_on_time:.1f} %".replace(".", ",")
    )
    print(
        f"{heading(period)}: сообщений {summary.total}, дан ответ {summary.answered}, "
        f"в срок {share}, нарушений сроков {len(report.violations)}."
    )
    print(f"Записан: {out}")
    return EXIT_OK


def _lines_listed(lines: Sequence[str], limit: int = 20) -> None:
    for line in lines[:limit]:
        print(f"  {line}")
    if len(lines) > limit:
        print(f"  … и ещё {len(lines) - limit}")


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.models.enums import IncidentSource
    from desktop.services.history_import import (
        check_rows,
        guess_mapping,
        import_rows,
        parse_field,
        read_table,
    )
    from desktop.services.office_regulation import office_regulation, regulation_by_slug
    from desktop.services.permissions import Action
    from desktop.services.session import identify

    _open(args)
    user = identify()
    user.require(Action.IMPORT_HISTORY)
    table = read_table(Path(args.file))  # UnreadableFile is a ValidationError: exit 2
    mapping = guess_mapping(table.headers)
    for item in args.map:
        header, sign, name = item.rpartition("=")
        if not sign or not header.strip():
            raise ValidationError(f"--map «{item}»: пишите «Заголовок в файле=Поле».")
        mapping[parse_field(name)] = header.strip()
    regulation = regulation_by_slug(args.preset) if args.preset else office_regulation()
    plan = check_rows(table, mapping, regulation)
    print(
        f"Файл {table.name}: строк с данными {len(table.rows)}; "
        f"сроки по порядку «{regulation.title}»"
    )
    unused = [header for header in table.headers if header not in mapping.values()]
    if unused:
        print("Не использованы столбцы: " + ", ".join(f"«{h}»" for h in unused))
    if args.dry_run:
        print(
            f"Проверка без записи: можно импортировать {len(plan.good)} "
            f"(с ответом {plan.answered_rows}, без ответа {plan.open_rows} — "
            "они попадут в очередь открытыми)"
        )
        duplicates, bad = plan.duplicates, plan.bad
    else:
        source = IncidentSource.MONITORING if args.monitoring else IncidentSource.OWN_SEARCH
        result = import_rows(user, plan, args.file, source=source)
        numbers = f" (№ {result.numbers[0]}–{result.numbers[-1]})" if result.numbers else ""
        print(f"Импортировано: {result.imported}{numbers}")
        if result.imported:
            print(
                f"С ответом: {result.answered}, из них в срок: {result.on_time}; "
                f"без ответа (открыты в очереди): {result.imported - result.answered}"
            )
        for label, names in (
            ("Созданы отделы", result.created_departments),
            ("Созданы темы", result.created_topics),
            ("Созданы территории", result.created_locations),
        ):
            if names:
                print(f"{label}: {', '.join(names)}")
        duplicates, bad = result.skipped_duplicates, result.bad
    print(f"Уже есть, пропущено: {len(duplicates)}")
    _lines_listed([f"строка {d.line}: уже есть № {d.number}" for d in duplicates])
    print(f"Ошибки в строках: {len(bad)}")
    _lines_listed([f"строка {b.line}: {b.reason}" for b in bad], limit=len(bad))
    return EXIT_PROBLEM if bad else EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "spell": cmd_spell,
    "spelling-words": cmd_spelling_words,
    "regulations": cmd_regulations,
    "regulation-show": cmd_regulation_show,
    "regulation-use": cmd_regulation_use,
    "regulation-export": cmd_regulation_export,
    "regulation-import": cmd_regulation_import,
    "regulation-copy": cmd_regulation_copy,
    "calendar": cmd_calendar,
    "calendar-set": cmd_calendar_set,
    "calendar-unset": cmd_calendar_unset,
    "office-hours": cmd_office_hours,
    "employee-add": cmd_employee_add,
    "employee-list": cmd_employee_list,
    "info": cmd_info,
    "verify": cmd_verify,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "migrate": cmd_migrate,
    "demo": cmd_demo,
    "report": cmd_report,
    "import": cmd_import,
    "init": cmd_init,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="otklik-cli", description=f"{APP_NAME}: командная строка администратора"
    )
    parser.add_argument("--version", action="version", version=f"otklik {__version__}")
    parser.add_argument("--db", help="путь к файлу базы (по умолчанию: из настроек или OTKLIK_DB)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="команда")
    sub.add_parser("info", help="где база, версия схемы, сколько записей")
    sub.add_parser("verify", help="проверить файл базы и цепочку журнала изменений")
    backup = sub.add_parser("backup", help="сделать резервную копию сейчас")
    backup.add_argument("--to", help="папка для копии (по умолчанию: из настроек)")
    restore = sub.add_parser("restore", help="восстановить базу из резервной копии")
    restore.add_argument("file", help="файл резервной копии")
    restore.add_argument("--yes", action="store_true", help="подтвердить замену данных")
    sub.add_parser("migrate", help="обновить схему базы до версии программы")
    add = sub.add_parser("employee-add", help="добавить сотрудника (нужна роль администратора)")
    add.add_argument("login", help="имя входа в Windows, например ivanova или ADM\\ivanova")
    add.add_argument("full_name", help="ФИО")
    add.add_argument(
        "--roles", required=True, help="через запятую: operator, curator, executor, ..."
    )
    add.add_argument("--position", default="", help="должность")
    add.add_argument("--department", default="", help="название отдела")
    sub.add_parser("employee-list", help="список сотрудников и их ролей")
    calendar = sub.add_parser("calendar", help="рабочий календарь офиса на год")
    calendar.add_argument("year", nargs="?", type=int, help="год (по умолчанию текущий)")
    mark = sub.add_parser(
        "calendar-set", help="отметить день как рабочий, выходной или сокращённый"
    )
    mark.add_argument("date", help="дата: ДД.ММ.ГГГГ или ГГГГ-ММ-ДД")
    mark.add_argument(
        "kind", help="рабочий | выходной | сокращённый (working | day_off | shortened)"
    )
    mark.add_argument("--note", default="", help="основание, например «региональный праздник»")
    unmark = sub.add_parser(
        "calendar-unset", help="вернуть дню значение из производственного календаря"
    )
    unmark.add_argument("date", help="дата: ДД.ММ.ГГГГ или ГГГГ-ММ-ДД")
    hours = sub.add_parser("office-hours", help="показать или задать рабочие часы офиса")
    hours.add_argument(
        "hours",
        nargs="?",
        help="например «Пн–Чт 08:00–12:00, 12:48–17:00; Пт 08:00–12:00, 12:48–15:45»",
    )
    sub.add_parser("regulations", help="порядки: встроенные и копии офиса")
    show = sub.add_parser("regulation-show", help="шаги и сроки порядка")
    show.add_argument("slug", help="например otradnensky-2021")
    use = sub.add_parser("regulation-use", help="регистрировать новые сообщения по порядку")
    use.add_argument("slug")
    export = sub.add_parser("regulation-export", help="записать порядок в файл TOML для правки")
    export.add_argument("slug")
    export.add_argument("--out", required=True, help="путь нового файла")
    load = sub.add_parser("regulation-import", help="сохранить исправленную копию порядка")
    load.add_argument("file", help="файл TOML")
    copy = sub.add_parser("regulation-copy", help="копия порядка под новым именем")
    copy.add_argument("slug")
    copy.add_argument("new_slug", help="латиница, цифры и дефис")
    copy.add_argument("--title", default="", help="название копии")
    spell = sub.add_parser("spell", help="проверить орфографию текста (или стандартного ввода)")
    spell.add_argument("text", nargs="*", help="текст; без него читается стандартный ввод")
    words = sub.add_parser(
        "spelling-words", help="словарь офиса для проверки орфографии: названия, фамилии"
    )
    words.add_argument("--add", nargs="+", default=[], metavar="СЛОВО", help="добавить слова")
    words.add_argument("--remove", nargs="+", default=[], metavar="СЛОВО", help="убрать слова")
    load_log = sub.add_parser(
        "import", help="импортировать журнал сообщений (CSV или XLSX) или выгрузку мониторинга"
    )
    load_log.add_argument("file", help="файл .csv или .xlsx с заголовками столбцов")
    load_log.add_argument(
        "--preset", help="порядок, по которому считать сроки (по умолчанию: порядок офиса)"
    )
    load_log.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="ЗАГОЛОВОК=ПОЛЕ",
        help="столбец файла для поля, например «Ответ дан=Дата ответа»; можно несколько раз",
    )
    load_log.add_argument("--dry-run", action="store_true", help="только проверить, не записывать")
    load_log.add_argument(
        "--monitoring", action="store_true", help="выгрузка системы мониторинга (источник)"
    )
    # As for `report`: «--db» after the command too, not reset when given before it.
    load_log.add_argument(
        "--db", default=argparse.SUPPRESS, help="путь к файлу базы (по умолчанию: из настроек)"
    )
    init = sub.add_parser("init", help="создать пустую базу офиса на встроенном порядке")
    init.add_argument("--db", default=argparse.SUPPRESS, help="путь нового файла базы")
    init.add_argument(
        "--preset", required=True, help="встроенный порядок, например otradnensky-2021"
    )
    init.add_argument(
        "--tz", default="Europe/Moscow", help="часовой пояс офиса (по умолчанию Europe/Moscow)"
    )
    demo = sub.add_parser("demo", help="создать демонстрационную базу")
    demo.add_argument(
        "--out",
        help="путь нового файла базы (по умолчанию: заменить демонстрационную базу программы)",
    )
    demo.add_argument("--incidents", type=int, default=60, help="сколько сообщений создать")
    demo.add_argument("--seed", type=int, default=7, help="зерно генератора")
    report = sub.add_parser("report", help="отчёт в Excel: ежемесячный или еженедельный")
    kinds = report.add_subparsers(dest="kind", required=True, metavar="вид")
    monthly = kinds.add_parser("monthly", help="ежемесячный отчёт (первому заместителю главы)")
    monthly.add_argument("--month", required=True, help="месяц: ГГГГ-ММ, например 2026-10")
    weekly = kinds.add_parser("weekly", help="еженедельный отчёт (по пятницам)")
    weekly.add_argument("--week", required=True, help="неделя ISO: ГГГГ-Wнн, например 2026-W44")
    for each in (monthly, weekly):
        each.add_argument("--out", required=True, help="файл .xlsx, который записать")
        each.add_argument("--preset", help="только сообщения этого порядка (по умолчанию все)")
        # SUPPRESS: given before the command, «--db» is not reset by the subcommand's default.
        each.add_argument(
            "--db", default=argparse.SUPPRESS, help="путь к файлу базы (по умолчанию: из настроек)"
        )
    return parser


def _use_utf8_console() -> None:
    # Windows consoles default to a legacy code page that cannot print Russian.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    _use_utf8_console()
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KnownDatabaseError as exc:
        print(exc.user_message, file=sys.stderr)
        return EXIT_REFUSED
    except (AccessDenied, ValidationError, WorkCalendarError, SpellingUnavailable) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":
    raise SystemExit(main())
