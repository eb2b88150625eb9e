"""Outputs (issue 15): modes from the umask, all or nothing per output directory, stale temporary files cleaned,
Ctrl-C while writing leaves the previous outputs with a message."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys

import pytest

import planner.outputs as outputs
from planner.outputs import OutputError, remove_stale, write_all_atomic


def snapshot(directory):
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.mark.parametrize(("umask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_files_get_the_mode_of_the_umask(tmp_path, umask, expected):
    old = os.umask(umask)
    try:
        write_all_atomic({tmp_path / "plan.json": "{}", tmp_path / "report.md": "# x"})
        (tmp_path / "report.md").chmod(0o644 if expected != 0o644 else 0o600)
        write_all_atomic({tmp_path / "report.md": "# y"})  # replacing a file gives it the umask's mode too
    finally:
        os.umask(old)
    for name in ("plan.json", "report.md"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == expected


def test_stale_staging_directories_and_old_temporary_files_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".planner-staging.{int(dead.stdout)}.abc123"
    stale.mkdir()
    (stale / "plan.json").write_text("half")
    (tmp_path / ".plan.json.k3j2h1x9.tmp").write_text("half")
    (tmp_path / ".report.pdf.ab12cd34.tmp").write_text("half")
    (tmp_path / ".notes.txt.ab12cd34.tmp").write_text("not ours")
    alive = tmp_path / f".planner-staging.{os.getppid()}.zzz999"  # a run still going: kept
    alive.mkdir()
    write_all_atomic({tmp_path / "plan.json": "{}"})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["plan.json", ".notes.txt.ab12cd34.tmp", alive.name])
    remove_stale(tmp_path / "missing", [])  # a directory that does not exist is no error


def test_a_failing_rename_midway_puts_back_the_files_already_replaced(tmp_path, monkeypatch):
    write_all_atomic({tmp_path / n: f"old {n}" for n in ("plan.json", "report.md", "report.html")})
    before = snapshot(tmp_path)
    real = os.replace
    calls = {"n": 0}

    def flaky(src, dst):
        if str(dst).endswith(("report.md", "report.html")) and ".previous." not in str(src):
            calls["n"] += 1
            if calls["n"] == 2:
                raise OSError(28, "No space left on device")
        return real(src, dst)

    monkeypatch.setattr(outputs.os, "replace", flaky)
    with pytest.raises(OutputError, match="nothing was changed"):
        write_all_atomic({tmp_path / n: f"new {n}" for n in ("plan.json", "report.md", "report.html", "bom.xlsx")})
    assert snapshot(tmp_path) == before


def test_a_new_plan_takes_the_reports_of_the_old_one_with_it(tmp_path, monkeypatch):
    """A plan written with pdf and xlsx, then another written with json and md only: the old PDF and workbook
    go in the same swap (a trial found the infeasible plan.json beside the earlier optimal report.pdf); a failure
    in that swap puts them back."""
    write_all_atomic({tmp_path / n: f"old {n}" for n in ("plan.json", "report.md", "report.pdf", "bom.xlsx")})
    before = snapshot(tmp_path)
    stale = tuple(tmp_path / n for n in ("plan.json", "report.md", "report.html", "report.pdf", "bom.xlsx"))

    def refuse(self, *args, **kwargs):
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(outputs.Path, "unlink", refuse)
    with pytest.raises(OutputError):
        write_all_atomic({tmp_path / n: f"new {n}" for n in ("plan.json", "report.md")}, remove=stale)
    assert snapshot(tmp_path) == before
    monkeypatch.undo()
    write_all_atomic({tmp_path / n: f"new {n}" for n in ("plan.json", "report.md")}, remove=stale)
    assert snapshot(tmp_path) == {"plan.json": b"new plan.json", "report.md": b"new report.md"}


def test_a_target_that_is_a_directory_changes_nothing(tmp_path):
    (tmp_path / "report.md").mkdir()
    (tmp_path / "plan.json").write_text("old")
    with pytest.raises(OutputError, match="is a directory"):
        write_all_atomic({tmp_path / "plan.json": "new", tmp_path / "report.md": "new"})
    assert (tmp_path / "plan.json").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json", "report.md"]


def test_a_signal_during_the_swap_is_held_until_every_file_is_in_place(tmp_path, monkeypatch):
    write_all_atomic({tmp_path / n: "old" for n in ("plan.json", "report.md")})
    real = os.replace

    def replace_and_signal(src, dst):
        real(src, dst)
        if str(dst).endswith("plan.json"):
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C between the two renames

    monkeypatch.setattr(outputs.os, "replace", replace_and_signal)
    with pytest.raises(outputs.InterruptedAfterWriting, match="holds this run's files"):
        write_all_atomic({tmp_path / n: "new" for n in ("plan.json", "report.md")})
    assert snapshot(tmp_path) == {"plan.json": b"new", "report.md": b"new"}


SIGINT_SCRIPT = """
import os, signal, sys, time
sys.path.insert(0, {root!r})
import planner.outputs as outputs
real = outputs.os.fsync
def slow_fsync(fd):
    os.write(2, b"staging\\n")  # to the real stderr: CliRunner captures sys.stdout and sys.stderr
    time.sleep(5)
    real(fd)
outputs.os.fsync = slow_fsync
from typer.testing import CliRunner
from planner.cli import app
result = CliRunner().invoke(app, ["size", {country!r}, "--out", {out!r}, "-q"], catch_exceptions=False)
print("exit", result.exit_code, flush=True)
print(result.output, flush=True)
"""


def test_ctrl_c_while_staging_leaves_the_previous_outputs_and_says_so(tmp_path):
    from conftest import ROOT, tiny_country, write_yaml
    from typer.testing import CliRunner

    from planner.cli import app

    country = write_yaml(tmp_path / "country.yaml", tiny_country())
    out = tmp_path / "out"
    assert CliRunner().invoke(app, ["size", str(country), "--out", str(out), "-q"]).exit_code == 0
    before = snapshot(out)
    write_yaml(country, tiny_country(hardware=["hgx_h100"]))
    script = SIGINT_SCRIPT.format(root=str(ROOT), country=str(country), out=str(out))
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("staging"):
            proc.send_signal(signal.SIGINT)
            break
    rest, _ = proc.communicate(timeout=60)
    assert "exit 130" in rest, rest
    assert "interrupted: no output was changed" in rest
    assert snapshot(out) == before
