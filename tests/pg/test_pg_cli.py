"""The command line on PostgreSQL gives what it gives on SQLite, and a URL never becomes a local file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import URL

from seri_desktop.store.engine import describe_target
from tests.helpers.types import RunCli


def _session(run_cli: RunCli, report: Path, target: str, shown: str, out: Path) -> list[tuple[int, str, str]]:
    """import-text, info (text and JSON), check (text and JSON) and export-text on one target."""
    results: list[tuple[int, str, str]] = []
    for args in (
        ["import-text", str(report)],
        ["info"],
        ["info", "--format", "json"],
        ["check"],
        ["check", "--format", "json"],
        ["check", "--program", "2-5"],
        ["export-text", "-o", str(out)],
    ):
        done = run_cli(*args, "--db", target)
        # The target and the output file are named in some messages; everything else must be the same.
        text = [stream.replace(shown, "<DB>").replace(str(out), "<OUT>") for stream in (done.stdout, done.stderr)]
        results.append((done.returncode, *text))
    return results


@pytest.mark.acceptance
def test_the_2024_report_gives_the_same_output_on_both_engines(
    run_cli: RunCli, report_2024_path: Path, pg_database: URL, tmp_path: Path
) -> None:
    sqlite_db = tmp_path / "2024.sqlite"
    on_sqlite = _session(run_cli, report_2024_path, str(sqlite_db), str(sqlite_db), tmp_path / "sqlite.txt")
    url = pg_database.render_as_string(hide_password=False)
    on_pg = _session(run_cli, report_2024_path, url, describe_target(pg_database), tmp_path / "pg.txt")

    assert on_pg == on_sqlite
    imported, info, _, check, _, _, _ = on_pg
    assert imported[0] == 0 and "5개 장, 33개 사업 → <DB>" in imported[1]
    assert info[0] == 0 and "사업 33개" in info[1]
    assert check[0] == 1 and "오류" in check[1]  # the printed 2024 report has known errors
    assert (tmp_path / "pg.txt").read_bytes() == (tmp_path / "sqlite.txt").read_bytes()
    assert pg_database.password
    for code, out, err in on_pg:
        assert pg_database.password not in out + err, code


def test_a_url_never_creates_a_local_file(run_cli: RunCli, pg_database: URL, tmp_path: Path) -> None:
    work = tmp_path / "empty-work"
    work.mkdir()
    sample = Path(__file__).resolve().parents[2] / "resources" / "sample-report.txt"
    url = pg_database.render_as_string(hide_password=False)
    for args in (["import-text", str(sample)], ["info"], ["check"], ["review"], ["audit"]):
        done = run_cli(*args, "--db", url, cwd=work)
        assert done.returncode in (0, 1), (args, done.stderr)
    # Unreachable and refused URLs too: nothing may be created from them either.
    for bad in (
        url.replace(f"/{pg_database.database}", "/no_such_database"),
        "postgresql://seri@127.0.0.1/report",
        "sqlite:///report.sqlite",
        "postgresql+psycopg:/seri@127.0.0.1/report",
    ):
        done = run_cli("import-text", str(sample), "--db", bad, cwd=work)
        assert done.returncode == 2, (bad, done.stdout)
        assert "Traceback" not in done.stderr
    assert list(work.iterdir()) == []
    assert not [p for p in tmp_path.rglob("*") if "postgres" in p.name or "127.0.0.1" in p.name]
