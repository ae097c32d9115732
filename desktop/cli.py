"""`otklik-cli`: the command line for administrators and scheduled tasks.

A separate console entry point because on Windows the GUI executable has no console.
Known problems (unreachable share, foreign file, newer schema, tampered log) print a Russian
message and exit with a non-zero code; they never print a traceback.
"""

from __future__ import annotations

import argparse
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
from desktop.services.errors import AccessDenied, KnownDatabaseError, ValidationError
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

    out = Path(args.out)
    if out.exists():
        print(f"Файл {out} уже существует; укажите другой путь.", file=sys.stderr)
        return EXIT_REFUSED
    create_demo_database(out, incidents=args.incidents, seed=args.seed)
    print(f"Демонстрационная база создана: {out}")
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


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "employee-add": cmd_employee_add,
    "employee-list": cmd_employee_list,
    "info": cmd_info,
    "verify": cmd_verify,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "migrate": cmd_migrate,
    "demo": cmd_demo,
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
    demo = sub.add_parser("demo", help="создать демонстрационную базу")
    demo.add_argument("--out", required=True, help="путь нового файла базы")
    demo.add_argument("--incidents", type=int, default=60, help="сколько сообщений создать")
    demo.add_argument("--seed", type=int, default=7, help="зерно генератора")
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
    except (AccessDenied, ValidationError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":
    raise SystemExit(main())
