#!/usr/bin/env python3
"""Install Otklik into .venv beside this file and run the app, the tests or the linters.

    python3 bootstrap.py app  [ARGS]   the desktop application (Windows: py bootstrap.py app)
    python3 bootstrap.py test [ARGS]   the whole test suite (pytest ARGS)
    python3 bootstrap.py lint          ruff, ruff format --check, mypy

Standard library only, so it runs on a fresh machine. On Debian and Ubuntu it first installs
the system libraries Qt needs (apt-get, as root or through sudo; never prompts under CI).
The project is reinstalled into .venv only when pyproject.toml changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
MARKER = VENV / ".otklik-installed"

# What a bare Debian lacks for Qt 6: EGL/GL, keyboard, fonts and D-Bus for every platform
# plugin (offscreen too); the xcb libraries for a real window on X11.
QT_PACKAGES = [
    "libegl1",
    "libgl1",
    "libxkbcommon0",
    "libfontconfig1",
    "libdbus-1-3",
    "fonts-dejavu-core",
    "libxkbcommon-x11-0",
    "libx11-xcb1",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xkb1",
]

EXTRAS = {"app": "", "test": "test", "lint": "test,dev"}
PYTEST_NO_TESTS = 5


def say(text: str) -> None:
    print(f"[bootstrap] {text}", flush=True)


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def is_debian() -> bool:
    return sys.platform.startswith("linux") and Path("/etc/debian_version").exists()


def missing_debian_packages(names: list[str]) -> list[str]:
    missing = []
    for name in names:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", name],
            capture_output=True,
            text=True,
            check=False,
        )
        if "install ok installed" not in result.stdout:
            missing.append(name)
    return missing


def apt_install(packages: list[str]) -> None:
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            say("нужны системные пакеты, но нет прав root и sudo. Выполните от root:")
            say("  apt-get install -y " + " ".join(packages))
            raise SystemExit(1)
        prefix = ["sudo"]
        if os.environ.get("CI") or not sys.stdin.isatty():
            prefix.append("-n")  # never wait for a password nobody can type
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    say("apt-get install " + " ".join(packages))
    try:
        subprocess.run([*prefix, "apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(
            [*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
            check=True,
            env=env,
        )
    except subprocess.CalledProcessError as exc:
        say(f"не удалось установить системные пакеты ({exc}). Выполните вручную:")
        say("  sudo apt-get install -y " + " ".join(packages))
        raise SystemExit(1) from exc


def ensure_system_packages() -> None:
    if not is_debian():
        return
    missing = missing_debian_packages(QT_PACKAGES)
    if missing:
        apt_install(missing)


def ensure_venv() -> None:
    if venv_python().exists():
        return
    say(f"создаю виртуальное окружение {VENV}")
    try:
        venv.create(VENV, with_pip=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        # Debian's python3 ships venv without ensurepip; the python3-venv package adds it.
        if not is_debian():
            raise
        shutil.rmtree(VENV, ignore_errors=True)
        say(f"venv недоступен ({exc}); ставлю python3-venv")
        apt_install([f"python{sys.version_info.major}.{sys.version_info.minor}-venv"])
        venv.create(VENV, with_pip=True)


def install_fingerprint(extras: str) -> str:
    pyproject = (ROOT / "pyproject.toml").read_bytes()
    return hashlib.sha256(pyproject + extras.encode()).hexdigest()


def ensure_installed(extras: str) -> None:
    fingerprint = install_fingerprint(extras)
    if MARKER.exists() and MARKER.read_text(encoding="utf-8").strip() == fingerprint:
        return
    spec = f".[{extras}]" if extras else "."
    say(f"устанавливаю Отклик ({spec}) в .venv")
    subprocess.run(
        [str(venv_python()), "-m", "pip", "install", "-q", "-e", spec],
        cwd=ROOT,
        check=True,
    )
    MARKER.write_text(fingerprint + "\n", encoding="utf-8")


def run(args: list[str]) -> int:
    return subprocess.run([str(venv_python()), *args], cwd=ROOT, check=False).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in EXTRAS:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_system_packages()
    ensure_venv()
    ensure_installed(EXTRAS[command])
    if command == "app":
        return run(["-m", "desktop", *rest])
    if command == "test":
        code = run(["-m", "pytest", *rest])
        if code == PYTEST_NO_TESTS:
            say("pytest не нашёл ни одного теста: это ошибка")
            return 1
        return code
    for check in (
        ["-m", "ruff", "check", "."],
        ["-m", "ruff", "format", "--check", "."],
        ["-m", "mypy"],
    ):
        say(" ".join(check[1:]))
        code = run(check)
        if code != 0:
            return code
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
