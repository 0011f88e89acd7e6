"""An operator's usual mistakes, through the installed `dx10`: one line that names the problem and
exit status 2, never a traceback (the QA report's crash table, case by case)."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

from bot.store import Store
from conftest import run_dx10, run_dx10_read_only

SECRET = {"DX10_SECRET": "cli-errors-test"}
APP_ID = "1b2c3d4e-0000-0000-0000-000000000000"


def one_line(result: subprocess.CompletedProcess[bytes], *words: str) -> str:
    """The command failed with exit 2 and said why in one `dx10: …` line (its last), naming `words`."""
    err = result.stderr.decode()
    assert result.returncode == 2, (result.returncode, err)
    assert "Traceback" not in err, err
    lines = err.splitlines()
    said = [line for line in lines if line.startswith("dx10")]
    assert len(said) == 1 and lines[-1] == said[0], err
    assert all(w in said[0] for w in words), (words, said[0])
    return said[0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "dx10.db"
    Store(path).close()
    return path


@pytest.fixture
def ro(tmp_path: Path) -> Path:
    folder = tmp_path / "ro"
    folder.mkdir()
    return folder


# -- dx10 serve -------------------------------------------------------------------------------

SERVE_ENV = {**SECRET, "TEAMS_ALLOW_UNAUTHENTICATED": "1"}


def test_serve_on_a_port_in_use_says_so(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = run_dx10("serve", "--port", port, "--db", str(tmp_path / "s.db"), env=SERVE_ENV)
    one_line(result, f"127.0.0.1:{port}", "in use", "--port")


def test_serve_on_a_port_that_cannot_exist_says_the_range() -> None:
    for port in ("99999", "-1", "http"):
        result = run_dx10("serve", "--port", port, env=SERVE_ENV)
        assert result.returncode == 2 and result.stderr.decode() == (
            f"dx10 serve: argument --port: must be a port number from 0 to 65535 (got '{port}') "
            "(see dx10 serve --help)\n")


def test_any_wrong_argument_is_one_line_that_points_at_the_help() -> None:
    for args, says in [(("export", "--format", "xml"), "dx10 export: argument --format: invalid choice: 'xml'"),
                       (("forget", "--user", "U1"), "dx10 forget: the following arguments are required: --platform"),
                       (("retention", "run", "--days", "many"), "dx10 retention run: argument --days: invalid int value"),
                       (("nudges", "nope"), "dx10 nudges: argument NUDGES_COMMAND: invalid choice: 'nope'")]:
        result = run_dx10(*args)
        err = result.stderr.decode()
        assert result.returncode == 2 and len(err.splitlines()) == 1 and err.startswith(says), (args, err)
        assert err.rstrip().endswith(f"(see {says.split(':')[0]} --help)")


def test_serve_on_an_unknown_host_says_check_the_host(tmp_path: Path) -> None:
    result = run_dx10("serve", "--host", "no-such-host.invalid", "--db", str(tmp_path / "s.db"), env=SERVE_ENV)
    one_line(result, "no-such-host.invalid", "--host")


@pytest.mark.parametrize("name, value, accepted", [
    ("DX10_LOG_LEVEL", "LOUD", "DEBUG, INFO, WARNING, ERROR, CRITICAL"),
    ("DX10_LOG_FORMAT", "xml", "text, json"),
])
def test_serve_with_a_log_setting_it_does_not_know_names_it(tmp_path: Path, name: str, value: str,
                                                            accepted: str) -> None:
    result = run_dx10("serve", "--db", str(tmp_path / "s.db"), env={**SERVE_ENV, name: value})
    assert one_line(result) == f"dx10: {name} must be one of {accepted}, got {value!r}"


def test_log_settings_are_read_without_regard_to_case(tmp_path: Path) -> None:
    # `warning` and `JSON` are understood: the check refuses only what neither knows.
    result = run_dx10("serve", "--host", "no-such-host.invalid", "--db", str(tmp_path / "s.db"),
                      env={**SERVE_ENV, "DX10_LOG_LEVEL": "warning", "DX10_LOG_FORMAT": "JSON"})
    assert b"unknown host" in result.stderr and b"must be one of" not in result.stderr  # it got as far as listening


# -- export --out -------------------------------------------------------------------------------

def test_export_into_a_read_only_folder(db: Path, ro: Path) -> None:
    result = run_dx10_read_only(ro, "export", "--db", str(db), "--out", str(ro / "x.csv"))
    one_line(result, str(ro), "cannot create files there")
    assert not (ro / "x.csv").exists()


def test_export_into_a_missing_folder(db: Path, tmp_path: Path) -> None:
    result = run_dx10("export", "--db", str(db), "--out", str(tmp_path / "nodir" / "x.csv"))
    assert one_line(result) == f"dx10: {tmp_path / 'nodir'}: no such folder"


def test_export_onto_a_folder(db: Path, tmp_path: Path) -> None:
    result = run_dx10("export", "--db", str(db), "--format", "json", "--out", str(tmp_path))
    assert one_line(result) == f"dx10: {tmp_path}: is a folder; give a file name, e.g. {tmp_path / 'dx10-export.json'}"


# -- backup ---------------------------------------------------------------------------------------

def test_backup_into_a_read_only_folder(db: Path, ro: Path) -> None:
    result = run_dx10_read_only(ro, "backup", str(ro / "bk.db"), "--db", str(db))
    one_line(result, str(ro), "cannot create files there")
    assert list(ro.iterdir()) == []


def test_backup_into_a_missing_folder(db: Path, tmp_path: Path) -> None:
    result = run_dx10("backup", str(tmp_path / "nodir" / "bk.db"), "--db", str(db))
    assert one_line(result) == f"dx10: {tmp_path / 'nodir'}: no such folder"
    result = run_dx10("backup", str(tmp_path / "nodir") + "/", "--db", str(db))  # "into this folder"
    assert one_line(result) == f"dx10: {tmp_path / 'nodir'}: no such folder"
    assert not (tmp_path / "nodir").exists()


def test_backup_into_a_folder_writes_a_new_file_named_by_the_time(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    result = run_dx10("backup", str(folder), "--db", str(db))
    assert result.returncode == 0, result.stderr
    [written] = list(folder.iterdir())
    assert written.name.startswith("dx10-") and written.suffix == ".db"
    assert f"backed up {db} to {written} (" in result.stdout.decode()
    again = run_dx10("restore", str(written), "--db", str(tmp_path / "copy.db"))  # it is a real store
    assert again.returncode == 0, again.stderr


# -- restore --db -----------------------------------------------------------------------------------

@pytest.fixture
def backup_file(db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "bk1.db"
    assert run_dx10("backup", str(path), "--db", str(db)).returncode == 0
    return path


def test_restore_into_a_read_only_folder(backup_file: Path, ro: Path) -> None:
    result = run_dx10_read_only(ro, "restore", str(backup_file), "--db", str(ro / "x.db"))
    one_line(result, str(ro), "cannot create files there")
    assert list(ro.iterdir()) == []


def test_restore_over_a_store_in_a_read_only_folder(backup_file: Path, db: Path, ro: Path) -> None:
    target = ro / "dx10.db"
    target.write_bytes(db.read_bytes())
    before = target.read_bytes()
    result = run_dx10_read_only(ro, "restore", str(backup_file), "--db", str(target), "--yes")
    one_line(result, str(ro))
    assert target.read_bytes() == before


def test_restore_into_a_missing_folder(backup_file: Path, tmp_path: Path) -> None:
    result = run_dx10("restore", str(backup_file), "--db", str(tmp_path / "nodir2" / "x.db"))
    assert one_line(result) == f"dx10: {tmp_path / 'nodir2'}: no such folder"


def test_restore_onto_a_folder(backup_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "somewhere"
    folder.mkdir()
    result = run_dx10("restore", str(backup_file), "--db", str(folder), "--yes")
    assert one_line(result) == f"dx10: {folder}: is a folder; give a file name, e.g. {folder / 'dx10.db'}"
    assert list(folder.iterdir()) == []


# -- retention, eval, teams-package ----------------------------------------------------------------------

def test_retention_with_more_days_than_the_calendar_has(db: Path) -> None:
    result = run_dx10("retention", "run", "--days", "100000000", "--db", str(db))
    assert one_line(result) == "dx10: --days must be from 1 to 36500 (got 100000000)"
    result = run_dx10("retention", "run", "--db", str(db), env={"DX10_RETENTION_DAYS": "100000000"})
    one_line(result, "DX10_RETENTION_DAYS", "36500", "'100000000'")


def test_eval_on_a_folder_an_empty_file_and_a_binary_file(tmp_path: Path, db: Path) -> None:
    result = run_dx10("eval", str(tmp_path))
    assert one_line(result) == f"dx10: {tmp_path}: is a folder; pass the path of a JSON-lines file of labelled questions"
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    one_line(run_dx10("eval", str(empty)), str(empty), "no labelled questions")  # not "accuracy 0.0% (0/0)"
    one_line(run_dx10("eval", str(db)), str(db), "not UTF-8")  # says which file


def test_teams_package_into_a_read_only_folder(ro: Path) -> None:
    result = run_dx10_read_only(ro, "teams-package", "--app-id", APP_ID, "--out", str(ro / "t.zip"))
    one_line(result, str(ro), "cannot create files there")


def test_teams_package_onto_a_folder(tmp_path: Path) -> None:
    result = run_dx10("teams-package", "--app-id", APP_ID, "--out", str(tmp_path))
    one_line(result, str(tmp_path), "is a folder", "dx10-teams.zip")
