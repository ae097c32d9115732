"""build.spec, run with stand-ins for PyInstaller: which executables, which files it drops.

The real build and a smoke start of the bundle are in .ci/run; this checks the spec's own
logic in a second, without PyInstaller installed.
"""

from __future__ import annotations

import sys
import tomllib
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"
Entry = tuple[str, str, str]


class Recorded:
    """A stand-in for Analysis, PYZ, EXE and COLLECT that keeps its arguments."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs
        self.binaries: list[Entry] = []
        self.datas: list[Entry] = []
        self.pure: list[Entry] = []
        self.scripts: list[Entry] = []


def run_spec(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    links: dict[str, set[str]] | None = None,
    binaries: list[Entry] | None = None,
) -> dict[str, Any]:
    """Execute build.spec; `links` says which libraries each source file links."""
    links = links or {}
    made: dict[str, list[Recorded]] = {"Analysis": [], "EXE": [], "COLLECT": []}

    def recorder(kind: str) -> Callable[..., Recorded]:
        def make(*args: Any, **kwargs: Any) -> Recorded:
            made.setdefault(kind, []).append(Recorded(*args, **kwargs))
            if kind == "Analysis":
                made[kind][-1].binaries = list(binaries or [])
            return made[kind][-1]

        return make

    modules = ["desktop", "desktop.__main__", "desktop.app", "desktop.cli", "desktop.views.x"]
    structures = "VSVersionInfo FixedFileInfo StringFileInfo StringTable StringStruct VarFileInfo"
    versioninfo = types.SimpleNamespace(
        **dict.fromkeys([*structures.split(), "VarStruct"], Recorded)
    )
    stand_ins = {
        "PyInstaller": types.SimpleNamespace(),
        "PyInstaller.depend": types.SimpleNamespace(),
        "PyInstaller.depend.bindepend": types.SimpleNamespace(
            get_imports=lambda source: {(n, f"/lib/{n}") for n in links.get(source, set())}
        ),
        "PyInstaller.utils": types.SimpleNamespace(),
        "PyInstaller.utils.hooks": types.SimpleNamespace(
            copy_metadata=lambda name: [(f"/site/{name}.dist-info", f"{name}-0.dist-info")],
            collect_submodules=lambda package, filter: [m for m in modules if filter(m)],
            collect_delvewheel_libs_directory=lambda package, libdir, datas: (
                datas,
                [(f"/site/{libdir}/msvcp140-1.dll", libdir)],
            ),
        ),
        "PyInstaller.utils.win32": types.SimpleNamespace(versioninfo=versioninfo),
        "PyInstaller.utils.win32.versioninfo": versioninfo,
    }
    for name, stand_in in stand_ins.items():
        monkeypatch.setitem(sys.modules, name, stand_in)

    namespace: dict[str, Any] = {
        "SPECPATH": str(ROOT),
        "workpath": str(tmp_path / "build"),
        **{kind: recorder(kind) for kind in ("Analysis", "PYZ", "EXE", "COLLECT")},
    }
    exec(compile(SPEC.read_bytes(), str(SPEC), "exec"), namespace)
    namespace["made"] = made
    return namespace


def test_one_folder_with_the_entry_points_of_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    made = run_spec(tmp_path, monkeypatch)["made"]

    consoles = {exe.kwargs["name"]: exe.kwargs["console"] for exe in made["EXE"]}
    assert consoles == {
        **{name: False for name in project["gui-scripts"]},
        **{name: True for name in project["scripts"]},
    }
    assert consoles["otklik"] is False
    assert consoles["otklik-cli"] is True
    [collect] = made["COLLECT"]
    assert collect.kwargs["name"] == project["name"]
    assert {exe.kwargs["name"] for exe in made["EXE"]} <= {
        getattr(part, "kwargs", {}).get("name") for part in collect.args
    }
    for exe in made["EXE"]:
        assert exe.kwargs["exclude_binaries"] is True  # the libraries go to the shared folder

    launchers = tmp_path / "build" / "launchers"
    for name, target in {**project["gui-scripts"], **project["scripts"]}.items():
        module, function = target.split(":")
        assert f"from {module} import {function}\n" in (launchers / f"{name}.py").read_text()


def test_the_console_tool_gets_no_qt_and_both_get_metadata_and_resources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = run_spec(tmp_path, monkeypatch)["made"]
    by_script = {Path(a.args[0][0]).stem: a.kwargs for a in made["Analysis"]}

    assert "desktop.views.x" in by_script["otklik"]["hiddenimports"]
    cli_imports = by_script["otklik-cli"]["hiddenimports"]
    assert not [m for m in cli_imports if m.startswith(("desktop.app", "desktop.views"))]
    assert "desktop.cli" in cli_imports
    for kwargs in by_script.values():
        assert "desktop.__main__" not in kwargs["hiddenimports"]
        destinations = {dest for _source, dest in kwargs["datas"]}
        assert "otklik-0.dist-info" in destinations  # importlib.metadata.version("otklik")
        assert "resources" in destinations
        assert "PySide6.QtWebEngineCore" in kwargs["excludes"]
        # the spelling engine's C++ runtime on Windows (chunspell.libs, delvewheel)
        assert kwargs["binaries"] == [("/site/chunspell.libs/msvcp140-1.dll", "chunspell.libs")]


@pytest.mark.parametrize(
    ("dest", "dropped"),
    [
        ("PySide6/Qt/lib/libQt6Quick.so.6", True),
        ("PySide6\\Qt6Qml.dll", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
        ("PySide6/Qt/translations/qtbase_de.qm", True),
        ("PySide6/Qt/translations/qtbase_ru.qm", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", False),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
        ("PySide6\\plugins\\platforms\\qwindows.dll", False),
        ("PySide6\\plugins\\styles\\qmodernwindowsstyle.dll", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", False),
    ],
)
def test_what_the_bundle_leaves_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dest: str, dropped: bool
) -> None:
    assert run_spec(tmp_path, monkeypatch)["dropped"](dest) is dropped


def test_libraries_only_dropped_plugins_linked_go_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gtk = ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/qt/libqgtk3.so", "BINARY")
    xcb = ("PySide6/Qt/plugins/platforms/libqxcb.so", "/qt/libqxcb.so", "BINARY")
    cairo = ("libcairo.so.2", "/usr/lib/libcairo.so.2", "BINARY")
    pixman = ("libpixman-1.so.0", "/usr/lib/libpixman-1.so.0", "BINARY")
    glib = ("libglib-2.0.so.0", "/usr/lib/libglib-2.0.so.0", "BINARY")
    links = {
        "/qt/libqgtk3.so": {"libcairo.so.2", "libglib-2.0.so.0"},
        "/usr/lib/libcairo.so.2": {"libpixman-1.so.0"},
        "/qt/libqxcb.so": {"libglib-2.0.so.0"},
    }
    made = run_spec(tmp_path, monkeypatch, links, [gtk, xcb, cairo, pixman, glib])["made"]

    for analysis in made["Analysis"]:
        assert analysis.binaries == [xcb, glib]


def test_windows_executables_carry_the_version_of_pyproject(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    spec = run_spec(tmp_path, monkeypatch)
    spec["sys"] = types.SimpleNamespace(platform="win32")

    info = spec["windows_version_info"]("otklik")

    numbers = tuple(int(part) for part in project["version"].split(".")[:3])
    assert info.kwargs["ffi"].kwargs["filevers"][:3] == numbers
    assert len(info.kwargs["ffi"].kwargs["filevers"]) == 4
