"""One command for every benchmark: ``python -m benchmarks.all [--runs 5] [--programs 1000]``.

Runs each benchmark module in its own process (so one's memory does not
count against another's), prints their tables, the peak memory (max RSS) of
each process, and one outside reference: how long LibreOffice Writer takes
to turn the same report content into a PDF, next to our own whole-report PDF,
with the ratio. Everything is written to ``benchmarks/results.json`` (not
committed). Figures, not pass/fail: the targets are printed beside them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.processes import user_env
from benchmarks.synthetic import DEFAULT_BASE

MODULES = ("run", "bench_cli", "bench_pdf", "bench_xlsx", "bench_exchange", "bench_ui", "bench_xvfb", "bench_hwpx")
RESULTS = Path(__file__).resolve().parent / "results.json"
TARGETS = """targets: whole 2024 PDF ≤ 1.5 s · one department ≤ 0.5 s · import ≤ 0.5 s · whole check ≤ 100 ms
         merge of five submissions ≤ 1 s · window shown ≤ 2 s · program switch ≤ 100 ms · peak memory ≤ 300 MB"""


def run_module(name: str, args: list[str]) -> dict[str, Any]:
    """Run ``python -m benchmarks.<name>``; its output, exit status and peak RSS."""
    env = user_env(QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    start = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", f"benchmarks.{name}", *args], stdout=out, stderr=subprocess.STDOUT, env=env
        )
        # wait4 gives this child's own resource usage, so each module's peak memory is its own.
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    return {
        "module": name,
        "exit": proc.returncode,
        "seconds": time.perf_counter() - start,
        "peak_rss_mib": usage.ru_maxrss / 1024,  # Linux reports KiB
        "output": text,
    }


def libreoffice_reference(base: Path, runs: int) -> dict[str, Any] | None:
    """Our whole-report PDF against LibreOffice converting the same content (the text export) to PDF."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    from seri_desktop.formats.pdf import build_report_pdf
    from seri_desktop.formats.text_export import export_report_text
    from seri_desktop.formats.text_import import import_report_file

    report = import_report_file(base).report
    ours: list[float] = []
    theirs: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "report-2024.txt"
        source.write_text(export_report_text(report), encoding="utf-8")
        profile = (folder / "lo-profile").as_uri()
        for n in range(runs):
            start = time.perf_counter()
            build_report_pdf(report, folder / f"ours-{n}.pdf")
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(folder / f"lo-{n}"),
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=300,
            )
            theirs.append(time.perf_counter() - start)
    return {
        "ours_median_s": statistics.median(ours),
        "libreoffice_median_s": statistics.median(theirs),
        "ratio": statistics.median(ours) / statistics.median(theirs),
        "ours_s": ours,
        "libreoffice_s": theirs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--sizes",
        default="100,1000",
        help="synthetic report sizes in programs, comma-separated (growth is read across them)",
    )
    parser.add_argument("--base", type=Path, default=DEFAULT_BASE)
    parser.add_argument("--skip", action="append", default=[], help="a module to leave out (repeatable)")
    args = parser.parse_args()
    common = ["--runs", str(args.runs), "--base", str(args.base)]
    results: list[dict[str, Any]] = []
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]
    for name in MODULES:
        if name in args.skip:
            continue
        # The exchange, command and Xvfb start-up benchmarks work on the 2024 report only.
        for size in [0] if name in ("bench_exchange", "bench_cli", "bench_xvfb") else sizes:
            extra = [] if size == 0 else ["--programs", str(size)]
            result = run_module(name, common + extra)
            result["programs"] = size or None
            results.append(result)
            label = f"{name} ({size} programs)" if size else name
            print(
                f"\n=== {label}  (exit {result['exit']}, {result['seconds']:.0f} s, peak RSS {result['peak_rss_mib']:.0f} MiB)"
            )
            print(result["output"].rstrip())
    reference = libreoffice_reference(args.base, args.runs)
    print("\n=== outside reference: LibreOffice Writer, the same report content (text export) → PDF")
    if reference is None:
        print("LibreOffice is not installed (Debian: apt-get install libreoffice-writer); no reference this run.")
    else:
        print(
            f"seri-desktop {reference['ours_median_s']:.2f} s, LibreOffice {reference['libreoffice_median_s']:.2f} s, "
            f"ratio {reference['ratio']:.2f} (median of {args.runs})"
        )
    print("\n=== peak memory per benchmark process (max RSS)")
    for r in results:
        where = f"{r['programs']} programs" if r["programs"] else "2024 report"
        print(f"{r['module']:16} {where:14} {r['peak_rss_mib']:8.0f} MiB")
    print("\n" + TARGETS)
    RESULTS.write_text(
        json.dumps(
            {
                "when": dt.datetime.now().isoformat(timespec="seconds"),
                "machine": {
                    "python": platform.python_version(),
                    "cpus": os.cpu_count(),
                    "platform": platform.platform(),
                },
                "runs": args.runs,
                "sizes": sizes,
                "modules": results,
                "libreoffice_reference": reference,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    print(f"\nresults → {RESULTS}")
    if any(r["exit"] != 0 for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
