#!/usr/bin/env python3
"""Install Otklik into .venv beside this file, then run the app, the tests or the linters.

    python3 bootstrap.py app  [ARGS]    the desktop application  (Windows: py bootstrap.py app)
    python3 bootstrap.py test [ARGS]    the test suite, ARGS go to pytest  (Windows: py ...)
    python3 bootstrap.py lint           ruff check, ruff format --check, mypy

Standard library only, so it runs on a fresh machine. On Debian and Ubuntu it first installs
the system libraries Qt needs with apt-get (as root, or through sudo; it never prompts when
CI is set or there is no terminal). The project is (re)installed into .venv only when
pyproject.toml changed or the command needs extras that are not installed yet.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
MARKER = VENV / "otklik-install.json"
MIN_PYTHON = (3, 11)
# pip learned editable installs of pyproject-only projects (PEP 660) in 21.3.
MIN_PIP = (21, 3)
PYTEST_NO_TESTS_COLLECTED = 5

# Debian packages for the libraries Qt 6 (the PySide6 wheels) links, found with `readelf -d`
# on Qt's libraries and platform plugins. A library that a listed package already pulls in is
# left out (noted beside it), except the two that must be there whatever apt picks: the
# keyboard library and a font. Checked on a bare Debian 12: tests offscreen, a window on Xvfb.
QT_PACKAGES_ANY_PLATFORM = [
    "libglib2.0-0",  # QtCore
    "libegl1",  # QtGui (pulls Mesa, and with it libx11-xcb1, libxcb-randr0/-sync1/-xfixes0/-shm0)
    "libgl1",  # QtGui, QtWidgets
    "libxkbcommon0",  # QtGui (also pulled by libxkbcommon-x11-0)
    "libfontconfig1",  # QtGui (pulls libfreetype6)
    "libdbus-1-3",  # QtDBus, loaded by the platform plugins
    "fonts-dejavu-core",  # no font, no text; fontconfig would accept any font package
]
QT_PACKAGES_X11_WINDOW = [  # the xcb platform plugin, for a real window on X11
    "libxkbcommon-x11-0",  # pulls libxcb-xkb1
    "libxcb-cursor0",  # pulls libxcb-image0, libxcb-render-util0, libxcb-util1
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-shape0",
]
QT_PACKAGES = QT_PACKAGES_ANY_PLATFORM + QT_PACKAGES_X11_WINDOW

# command -> the extras of pyproject.toml it needs
EXTRAS: dict[str, tuple[str, ...]] = {"app": (), "test": ("test",), "lint": ("test", "dev")}


def say(text: str) -> None:
    print(f"[bootstrap] {text}", flush=True)


def fail(text: str) -> SystemExit:
    print(f"[bootstrap] ERROR: {text}", file=sys.stderr, flush=True)
    return SystemExit(1)


def venv_bin(name: str) -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / f"{name}.exe"
    return VENV / "bin" / name


def venv_python() -> Path:
    return venv_bin("python")


def quiet_env() -> dict[str, str]:
    return {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


# --- system packages (Debian and Ubuntu) --------------------------------------------------


def is_debian() -> bool:
    return sys.platform.startswith("linux") and Path("/etc/debian_version").exists()


def missing_debian_packages(names: list[str]) -> list[str]:
    listed = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package} ${Status}\\n", *names],
        capture_output=True,
        text=True,
        check=False,  # non-zero when some package is unknown to dpkg: that one is missing
    ).stdout.splitlines()
    installed = {line.split()[0] for line in listed if line.endswith(" install ok installed")}
    return [name for name in names if name not in installed]


def never_prompt() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes") or not sys.stdin.isatty()


def apt_install(packages: list[str], why: str) -> None:
    """apt-get install `packages` as root or through sudo, or exit with the command to run."""
    install = "apt-get install -y --no-install-recommends " + " ".join(packages)
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            raise fail(
                f"missing {why}; not root, no sudo. As root, run:\n  apt-get update && {install}"
            )
        prefix = ["sudo", "-n"] if never_prompt() else ["sudo"]
        prefix.append("DEBIAN_FRONTEND=noninteractive")  # sudo does not pass the environment on
    say(f"{why}: apt-get install {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    apt = [*prefix, "apt-get", "-q", "-o", "DPkg::Lock::Timeout=300"]
    try:
        subprocess.run([*apt, "update"], check=True, env=env, stdout=subprocess.DEVNULL)
        subprocess.run(
            [*apt, "install", "-y", "--no-install-recommends", *packages],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        sudo = "sudo " if prefix else ""
        reason = (
            f"exit status {exc.returncode}"
            if isinstance(exc, subprocess.CalledProcessError)
            else exc
        )
        raise fail(
            f"could not install {why} ({reason}). Run:\n  {sudo}apt-get update && {sudo}{install}"
        ) from exc


def ensure_system_packages() -> None:
    if not is_debian():
        return
    missing = missing_debian_packages(QT_PACKAGES)
    if missing:
        apt_install(missing, "system libraries for Qt")


# --- the virtual environment --------------------------------------------------------------


def venv_runs() -> bool:
    python = venv_python()
    if not python.exists():
        return False
    probe = subprocess.run([str(python), "-c", "import sys"], capture_output=True, check=False)
    return probe.returncode == 0


def create_venv() -> subprocess.CompletedProcess[str]:
    shutil.rmtree(VENV, ignore_errors=True)
    return subprocess.run(
        [sys.executable, "-m", "venv", str(VENV)], capture_output=True, text=True, check=False
    )


def ensure_venv() -> None:
    if venv_runs():
        return
    if VENV.exists():
        say(f"{VENV} is broken (its Python does not start): creating it again")
    else:
        say(f"creating {VENV}")
    created = create_venv()
    if created.returncode != 0 and is_debian():
        # Debian's python3 ships venv without ensurepip; python3.X-venv adds it.
        package = f"python3.{sys.version_info.minor}-venv"
        if missing_debian_packages([package]):
            apt_install([package], "Python's venv module")
            created = create_venv()
    if created.returncode != 0:
        raise fail(f"`{sys.executable} -m venv {VENV}` failed:\n{created.stdout}{created.stderr}")


def pyproject_hash() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def installed_state() -> dict[str, object]:
    try:
        state = json.loads(MARKER.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def ensure_pip() -> None:
    version = subprocess.run(
        [str(venv_python()), "-m", "pip", "--version"],
        capture_output=True,
        text=True,
        check=False,
        env=quiet_env(),
    )
    try:
        have = tuple(int(part) for part in version.stdout.split()[1].split(".")[:2])
    except (IndexError, ValueError):
        have = (0, 0)
    if have < MIN_PIP:
        say("upgrading pip in .venv")
        pip = [str(venv_python()), "-m", "pip", "install", "-q", "--upgrade", "pip"]
        if version.returncode != 0:  # no pip at all
            pip = [str(venv_python()), "-m", "ensurepip", "--upgrade"]
        subprocess.run(pip, check=True, env=quiet_env())


def ensure_installed(extras: tuple[str, ...]) -> None:
    """`pip install -e .[extras]` unless pyproject.toml is unchanged and the extras are there."""
    state = installed_state()
    digest = pyproject_hash()
    recorded = state.get("extras")
    previous = {str(extra) for extra in recorded} if isinstance(recorded, list) else set()
    if state.get("pyproject_sha256") == digest and set(extras) <= previous:
        return
    # Keep the extras installed before, so `app` after `lint` does not drop the linters.
    extras = tuple(sorted(previous | set(extras)))
    spec = f".[{','.join(extras)}]" if extras else "."
    first = " (the first time this downloads Qt: a few hundred MB)" if not previous else ""
    say(f"installing Otklik into .venv: pip install -e {spec}{first}")
    started = time.monotonic()
    MARKER.unlink(missing_ok=True)
    ensure_pip()
    subprocess.run(
        [str(venv_python()), "-m", "pip", "install", "-q", "-e", spec],
        cwd=ROOT,
        check=True,
        env=quiet_env(),
    )
    MARKER.write_text(
        json.dumps({"pyproject_sha256": digest, "extras": sorted(extras)}) + "\n",
        encoding="utf-8",
    )
    say(f"installed in {time.monotonic() - started:.0f} s")


# --- commands -----------------------------------------------------------------------------


def run(command: list[str], env: dict[str, str] | None = None) -> int:
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def run_app(args: list[str]) -> int:
    if os.name == "nt":
        # otklik.exe is a windowed launcher without a console: --version and tracebacks
        # would vanish, so start the same entry point through the console python.exe.
        return run([str(venv_python()), "-m", "desktop", *args])
    return run([str(venv_bin("otklik")), *args])


def run_tests(args: list[str]) -> int:
    env = dict(os.environ)
    # Tests need no visible window; QT_QPA_PLATFORM=xcb (or windows) shows them.
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    code = run([str(venv_python()), "-m", "pytest", *args], env=env)
    if code == PYTEST_NO_TESTS_COLLECTED:
        say("pytest collected no tests: that is a failure")
        return 1
    return code


def run_linters() -> int:
    failed = []
    for check in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]):
        say(" ".join(check))
        if run([str(venv_python()), "-m", *check]) != 0:
            failed.append(" ".join(check))
    if failed:
        say("failed: " + ", ".join(failed))
        return 1
    return 0


def main(argv: list[str]) -> int:
    if sys.version_info < MIN_PYTHON:
        raise fail(f"Otklik needs Python {'.'.join(map(str, MIN_PYTHON))} or newer")
    if not argv or argv[0] not in EXTRAS:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    try:
        ensure_system_packages()
        ensure_venv()
        ensure_installed(EXTRAS[command])
    except subprocess.CalledProcessError as exc:
        raise fail(
            f"`{' '.join(map(str, exc.cmd))}` failed (exit status {exc.returncode})"
        ) from exc
    try:
        if command == "app":
            return run_app(rest)
        if command == "test":
            return run_tests(rest)
        return run_linters()
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
