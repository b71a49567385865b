"""``seri-desktop --self-test``: prove that an installed (or frozen) app works end to end.

In a temporary folder it creates a database, imports the example report the
app ships (resources/sample-report.txt, our own text), runs the rules, writes
a PDF and a budget workbook and reads the workbook back, and opens the main
window offscreen. Each step prints one line; the exit status is 0 only if
every step worked. Nothing outside the temporary folder is touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from seri_desktop.errors import UserError
from seri_desktop.logs import report_bug, setup_logging
from seri_desktop.resources import SAMPLE_REPORT, resource_path


def run_step(name: str, fn: Callable[[], str]) -> bool:
    """Run one step and print its line; a failure is reported, never raised, so every step runs."""
    start = time.perf_counter()
    try:
        detail = fn()
    except UserError as exc:  # something about this machine the person can fix (a missing font …)
        print(f"[실패] {name}: {exc}")
        return False
    except Exception as exc:  # a bug: the traceback goes to the log, the line says where it is
        print(f"[실패] {name}: {report_bug(exc, name)}")
        return False
    print(f"[통과] {name}: {detail} ({(time.perf_counter() - start) * 1000:.0f} ms)")
    return True


def run_self_test(*, with_window: bool = True) -> int:
    """Run every step; 0 when all passed, 1 otherwise."""
    from seri_desktop.domain.model import Report
    from seri_desktop.domain.rules import Severity, check_report
    from seri_desktop.fonts import find_korean_fonts
    from seri_desktop.formats.pdf import build_report_pdf
    from seri_desktop.formats.text_import import import_report_file
    from seri_desktop.formats.xlsx import read_budget_workbook, write_budget_workbook
    from seri_desktop.store.engine import create_engine_for, schema_version
    from seri_desktop.store.repository import load_report, save_report

    setup_logging()  # a failing step that is a bug leaves its traceback in the data folder's log
    results: list[bool] = []
    state: dict[str, Report] = {}
    with tempfile.TemporaryDirectory(prefix="seri-selftest-") as tmp:
        folder = Path(tmp)
        db = folder / "self-test.sqlite"

        def fonts() -> str:
            found = find_korean_fonts()
            return f"{found.serif.name}, {found.sans.name}"

        def store_and_import() -> str:
            result = import_report_file(resource_path(SAMPLE_REPORT))
            engine = create_engine_for(db)
            try:
                save_report(engine, result.report)
                loaded = load_report(engine)
                version = schema_version(engine)
            finally:
                engine.dispose()
            if loaded != result.report:
                raise AssertionError("저장한 보고서와 다시 읽은 보고서가 다릅니다")
            state["report"] = loaded
            return f"{loaded.year}년, 사업 {sum(1 for _ in loaded.programs())}개, 스키마 {version}"

        def check() -> str:
            problems = check_report(state["report"])
            errors = [p for p in problems if p.severity is Severity.ERROR]
            if errors:
                raise AssertionError(f"예시 보고서에서 오류 {len(errors)}개: {errors[0].message}")
            return f"오류 0개, 경고 {len(problems)}개"

        def pdf() -> str:
            path = folder / "self-test.pdf"
            result = build_report_pdf(state["report"], path)
            if not path.read_bytes().startswith(b"%PDF") or result.pages < 1:
                raise AssertionError("PDF 파일이 올바르지 않습니다")
            return f"{result.pages}쪽, {path.stat().st_size:,} 바이트"

        def xlsx() -> str:
            path = folder / "self-test.xlsx"
            write_budget_workbook(state["report"], path)
            back = read_budget_workbook(path, state["report"])
            if not back.ok or back.changes:
                raise AssertionError(
                    f"통합 문서를 다시 읽었더니 변경 {len(back.changes)}개, 거부 {len(back.rejected)}개"
                )
            return f"{path.stat().st_size:,} 바이트, 다시 읽기 변경 없음"

        def window() -> str:
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            from PySide6.QtWidgets import QApplication

            from seri_desktop.ui.app import open_main_window_for_test

            app = QApplication.instance() or QApplication(sys.argv[:1])
            title = open_main_window_for_test(db)
            app.processEvents()
            return title

        steps: list[tuple[str, Callable[[], str], bool]] = [
            ("한글 글꼴", fonts, False),
            ("데이터베이스와 텍스트 가져오기", store_and_import, False),
            ("점검", check, True),
            ("PDF", pdf, True),
            ("엑셀 통합 문서", xlsx, True),
        ]
        if with_window:
            steps.append(("프로그램 창", window, True))
        for name, fn, needs_report in steps:
            if needs_report and "report" not in state:
                print(f"[실패] {name}: 앞 단계(가져오기)가 실패해서 확인할 수 없습니다")
                results.append(False)
                continue
            results.append(run_step(name, fn))
    passed = sum(results)
    print(f"자체 점검: {passed}/{len(results)} 통과")
    return 0 if all(results) else 1
