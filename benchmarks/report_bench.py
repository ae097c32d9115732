"""The report service on 200,000 messages: `build_report` and `incidents_behind`.

Prints the database's size, then for each period measured — the month with the most messages,
the latest month and the busiest single day (the demo spreads 200,000 messages over three
years, about 5,000 a month, as a busy city office collects them) — the messages in it,
`build_report`'s median of `--runs` cold runs (each a fresh process: nothing cached but the
OS's file cache) and of `--runs` warm runs (one process, after a first report), and
`incidents_behind` for a few cells, against the target of 0.5 s for a monthly report.

Run from the repository root (about two minutes the first time, to build the database):

    .venv/bin/python benchmarks/report_bench.py [--db PATH] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_S = 0.5
EXCEL_TARGET_S = 2.0

# One child process: open, then time `build_report` (the first call is the cold one) and the
# incidents behind three numbers, then write the Excel file; prints JSON.
CHILD = """
import datetime as dt, json, statistics, sys, time
from desktop.services.config import DatabaseTarget, TargetOrigin
from desktop.services.office import open_office
from desktop.services import reports
from desktop.services.report_model import Cell, Dimension, Measure, ReportQuery
open_office(DatabaseTarget(sys.argv[1], TargetOrigin.COMMAND_LINE))
kind, a, b, warm = sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
if kind == "month":
    period = reports.month_period(int(a), int(b))
else:
    period = reports.custom_period(dt.date.fromisoformat(a), dt.date.fromisoformat(b))
query = ReportQuery(period)
started = time.perf_counter()
report = reports.build_report(query)
cold = time.perf_counter() - started
warm_times = []
for _ in range(warm):
    started = time.perf_counter()
    reports.build_report(query)
    warm_times.append(time.perf_counter() - started)
behind = {}
for cell in (
    Cell(Dimension.ALL, "", Measure.OVERDUE),
    Cell(Dimension.DEPARTMENT, report.by_department[0].key, Measure.TOTAL),
    Cell(Dimension.STEP, "route", Measure.OVERDUE),
):
    started = time.perf_counter()
    found = reports.incidents_behind(query, cell)
    behind[f"{cell.dimension}/{cell.measure}"] = (time.perf_counter() - started, len(found))
import pathlib, tempfile
from desktop.services.report_excel import write_report
excel = []
with tempfile.TemporaryDirectory() as folder:
    for _ in range(max(warm, 1)):
        started = time.perf_counter()
        write_report(report, pathlib.Path(folder) / "report.xlsx")
        excel.append(time.perf_counter() - started)
print(json.dumps({
    "title": period.title, "incidents": report.summary.total,
    "violations": len(report.violations), "cold": cold, "warm": warm_times, "behind": behind,
    "excel": excel,
}))
"""


def default_database() -> Path:
    sys.path.insert(0, str(REPO))
    from desktop.models.migrations import LATEST_VERSION
    from desktop.services.demo import DEMO_LAYOUT

    # Named by schema and demo layout: a file made by an older generator is not reused.
    name = f"otklik-bench-200k-v{LATEST_VERSION}-demo{DEMO_LAYOUT}.db"
    return Path(tempfile.gettempdir()) / name


def ensure_database(path: Path) -> None:
    if path.exists():
        return
    print(f"generating {path} (200,000 messages; a couple of minutes)…", flush=True)
    subprocess.run(
        [sys.executable, "-m", "desktop.cli", "demo", "--incidents", "200000", "--out", str(path)],
        check=True,
        cwd=REPO,
    )


def child(db: Path, data: Path, args: list[str], warm: int) -> dict[str, object]:
    env = {
        **os.environ,
        "OTKLIK_DATA_DIR": str(data / "data"),
        "OTKLIK_CONFIG_DIR": str(data / "config"),
        "PYTHONPATH": str(REPO),
    }
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(db), *args, str(warm)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=REPO,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def periods(db: Path) -> list[list[str]]:
    """The last whole month, the busiest and the latest month, and the busiest day (Moscow
    time, the demo's)."""
    import sqlite3

    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    shifted = "datetime(detected_at, '+3 hours')"
    months = connection.execute(
        f"SELECT substr({shifted}, 1, 7) m, count(*) FROM incident GROUP BY m ORDER BY m"
    ).fetchall()
    day = connection.execute(
        f"SELECT substr({shifted}, 1, 10) d, count(*) c FROM incident GROUP BY d ORDER BY c DESC"
    ).fetchone()[0]
    connection.close()
    busiest = max(months, key=lambda m: m[1])[0]
    # The last whole month: what the report by the 10th counts.
    whole = months[-2][0] if len(months) > 1 else months[-1][0]
    chosen = list(dict.fromkeys([whole, busiest, months[-1][0]]))
    return [["month", *m.split("-")] for m in chosen] + [["days", day, day]]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None, help="default: " + str(default_database()))
    parser.add_argument("--runs", type=int, default=5, help="cold and warm runs of each report")
    args = parser.parse_args()
    db = args.db or default_database()
    ensure_database(db)
    print(f"load average: {os.getloadavg()[0]:.2f}")
    print(f"database: {db}, {db.stat().st_size / 1e6:,.0f} MB")
    with tempfile.TemporaryDirectory() as data:
        for chosen in periods(db):
            runs = [child(db, Path(data), chosen, 0 if n else args.runs) for n in range(args.runs)]
            cold = statistics.median(float(r["cold"]) for r in runs)  # type: ignore[arg-type]
            warm = statistics.median(runs[0]["warm"])  # type: ignore[arg-type]
            first = runs[0]
            print(
                f"{first['title']}: {first['incidents']:,} messages, "
                f"{first['violations']:,} violations"
            )
            mark = "meets" if cold <= TARGET_S else "MISSES"
            print(
                f"  build_report cold {cold:.3f} s, warm {warm:.3f} s "
                f"(median of {args.runs}; {mark} the {TARGET_S} s target)"
            )
            excel = statistics.median(first["excel"])  # type: ignore[arg-type]
            mark = "meets" if excel <= EXCEL_TARGET_S else "MISSES"
            print(
                f"  write_report (the Excel file) {excel:.3f} s "
                f"({mark} the {EXCEL_TARGET_S} s target)"
            )
            for name, (seconds, found) in first["behind"].items():  # type: ignore[attr-defined]
                print(f"  incidents_behind {name}: {seconds * 1000:.0f} ms ({found:,} ids)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
