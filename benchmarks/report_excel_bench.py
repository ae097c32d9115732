"""How long `write_report` takes: the realistic month and a large synthetic report.

    .venv/bin/python benchmarks/report_excel_bench.py [--repeats 5] [--topics 300]
        [--violations 5000]

Prints the best and the slowest of `--repeats` runs for each (building the workbook and saving
it, with the garbage collector on, as in the app) and the file's size. The target is 2 s for
the realistic month.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the report builder lives beside the tests


def measure(name: str, report: object, repeats: int, folder: Path) -> float:
    from desktop.services.report_excel import build_workbook, write_report
    from desktop.services.report_model import Report

    assert isinstance(report, Report)
    path = folder / f"{name}.xlsx"
    write_report(report, path)  # warm-up: imports, openpyxl's first workbook
    times, builds = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        build_workbook(report)
        builds.append(time.perf_counter() - started)
        started = time.perf_counter()
        write_report(report, path)
        times.append(time.perf_counter() - started)
    size = path.stat().st_size
    print(
        f"{name:<8} write_report {min(times):.3f} s (slowest {max(times):.3f}), of which "
        f"building the sheets {min(builds):.3f} s; {size / 1024:.0f} KB"
    )
    return min(times)


def main() -> int:
    from report_samples import large_report, sample_report

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--topics", type=int, default=300)
    parser.add_argument("--violations", type=int, default=5_000)
    args = parser.parse_args()

    if hasattr(os, "getloadavg"):
        print("load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    month = sample_report()
    large = large_report(topics=args.topics, violations=args.violations)
    print(
        f"month: {len(month.by_topic)} topics, {len(month.violations)} violations; "
        f"large: {len(large.by_topic)} topics, {len(large.by_department)} departments, "
        f"{len(large.violations)} violations"
    )
    with tempfile.TemporaryDirectory(prefix="otklik-report-bench-") as folder:
        realistic = measure("month", month, args.repeats, Path(folder))
        measure("large", large, args.repeats, Path(folder))
    verdict = "met" if realistic <= 2.0 else "MISSED"
    print(f"target for the realistic month, 2 s: {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
