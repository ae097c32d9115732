"""Write the sample monthly report to Excel and render it the way it prints, to look at.

Builds `tests/report_samples.sample_report()` (October 2026 of a district office), writes it with
`desktop.services.report_excel.write_report`, converts the workbook to PDF with LibreOffice and
every page to PNG with pdftoppm, then puts the «Сводка» page and the «По темам» page (table and
chart) side by side as the docs picture.

    apt-get install -y --no-install-recommends libreoffice-calc poppler-utils \\
        fonts-crosextra-carlito      # Carlito has Calibri's metrics, so widths print true
    .venv/bin/python -m pip install pillow   # optional: without it the «Сводка» page alone
    .venv/bin/python tools/render_report.py [--week] [--out /tmp/otklik-report] \\
        [--picture docs/report-monthly.png] [--dpi 70]

The workbook, the PDF and `page-N.png` stay in `--out` to be looked at.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the report builder lives beside the tests


def page_text(pdf: Path, page: int) -> str:
    done = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def find_page(pdf: Path, pages: int, *needles: str) -> int:
    for page in range(1, pages + 1):
        text = page_text(pdf, page)
        if all(needle in text for needle in needles):
            return page
    raise SystemExit(f"no page of {pdf} holds {needles}")


def main() -> int:
    from report_samples import sample_report

    from desktop.services.report_excel import suggested_file_name, write_report
    from desktop.services.report_model import PeriodKind

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--week", action="store_true", help="the weekly report instead")
    parser.add_argument("--out", type=Path, default=Path("/tmp/otklik-report"))
    parser.add_argument("--picture", type=Path, help="where to put the side-by-side picture")
    parser.add_argument("--dpi", type=int, default=70)
    args = parser.parse_args()

    for program in ("soffice", "pdftoppm", "pdftotext"):
        if shutil.which(program) is None:
            print(f"{program} is missing: see the install line at the top of this script")
            return 2
    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    report = sample_report(PeriodKind.WEEK if args.week else PeriodKind.MONTH)
    workbook = out / suggested_file_name(report)
    started = time.perf_counter()
    write_report(report, workbook)
    print(f"wrote {workbook} in {1000 * (time.perf_counter() - started):.0f} ms")

    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), str(workbook)],
        check=True,
        capture_output=True,
    )
    pdf = workbook.with_suffix(".pdf")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(args.dpi), str(pdf), str(out / "page")], check=True
    )
    pages = sorted(out.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1]))
    print(f"{pdf}: {len(pages)} pages, {out}/page-N.png")

    if args.picture is not None:
        summary = find_page(pdf, len(pages), "Показатель", "Время обработки")
        topics = find_page(pdf, len(pages), "Наименование", "Дороги и тротуары")
        chosen = [pages[summary - 1], pages[topics - 1]]
        try:
            from PIL import Image
        except ImportError:
            shutil.copyfile(chosen[0], args.picture)
            print(f"Pillow is missing: {args.picture} is the «Сводка» page alone")
            return 0
        images = [Image.open(path).convert("RGB") for path in chosen]
        gap = 16
        width = sum(image.width for image in images) + gap * (len(images) + 1)
        height = max(image.height for image in images) + 2 * gap
        picture = Image.new("RGB", (width, height), (200, 200, 200))
        x = gap
        for image in images:
            picture.paste(image, (x, gap))
            x += image.width + gap
        picture.save(args.picture, optimize=True)
        print(f"{args.picture}: pages {summary} and {topics} side by side")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
