"""The registry, users and match commands through Typer's runner (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tradecoop.cli.main import app


@pytest.fixture
def cli(database_url, monkeypatch):
    monkeypatch.setenv("TRADECOOP_DATABASE_URL", database_url)
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args))

    assert run("registry", "init").exit_code == 0
    return run


def test_init_is_idempotent(cli):
    r = cli("registry", "init")
    assert r.exit_code == 0 and "enterprises 0, agreements 0" in r.output


def test_search_show_match(cli):
    r = cli("registry", "search", "Homselmash", "--format", "json")
    assert r.exit_code == 0, r.output
    hits = json.loads(r.stdout)
    assert hits[0]["name_en"] == "Gomselmash"
    r = cli("registry", "show", str(hits[0]["id"]), "--format", "json")
    assert json.loads(r.stdout)["name_ru"] == "Гомсельмаш"
    r = cli("match", "Gomselmash", "--top", "3", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert len(rows) == 3 and all(row["location"] == "RU-CHE" for row in rows)


def test_users_create_prints_token_once(cli):
    r = cli("users", "create", "alice", "--role", "editor", "--format", "json")
    assert r.exit_code == 0, r.output
    body = json.loads(r.stdout)
    assert body["role"] == "editor" and body["token"].startswith("tc_")
    r = cli("users", "create", "alice", "--role", "viewer")
    assert r.exit_code == 1 and "already exists" in r.output


def test_errors_are_one_line(cli):
    r = cli("registry", "show", "99999")
    assert r.exit_code == 1 and "no enterprise with id 99999" in r.output
    r = cli("match", "Qwertyuiop")
    assert r.exit_code == 1 and "no enterprise clearly named" in r.output
    r = cli("users", "create", "bob", "--role", "root")
    assert r.exit_code == 1 and "role" in r.output


def test_export_then_import_into_another_database(cli, tmp_path, monkeypatch):
    out = tmp_path / "reg.json"
    assert cli("registry", "export", str(out)).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["enterprises"]) >= 40 and len(data["agreements"]) == 11
    monkeypatch.setenv("TRADECOOP_DATABASE_URL", f"sqlite:///{tmp_path / 'other.sqlite3'}")
    runner = CliRunner()
    assert runner.invoke(app, ["registry", "init", "--no-seed"]).exit_code == 0
    r = runner.invoke(app, ["registry", "import", str(out)])
    assert r.exit_code == 0, r.output
    assert "41 enterprises" in r.output
