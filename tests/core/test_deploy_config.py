"""The example environment file and systemd units are usable as shipped."""

from __future__ import annotations

import configparser
import re
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _env_example() -> dict[str, str]:
    env: dict[str, str] = {}
    for number, line in enumerate((DEPLOY / "pressdesk.env.example").read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep and key.isupper(), f"line {number}: not KEY=VALUE: {line!r}"
        # systemd's EnvironmentFile keeps everything after "=": an inline comment would become the value.
        assert " #" not in value, f"line {number}: inline comment would be part of the value"
        env[key] = value
    return env


def test_the_example_env_passes_djangos_deployment_checks(tmp_path):
    env = {
        **_env_example(),
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "x" * 20 + "-a-long-random-secret-key-for-the-check-" + "y" * 20,
        # The check must not need the example's PostgreSQL server or directories.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PRESSDESK_DATA_DIR": str(tmp_path),
        "PRESSDESK_MEDIA_ROOT": str(tmp_path / "media"),
        "PRESSDESK_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SETTINGS_MODULE": "pressdesk.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "pressdesk", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    # HSTS for subdomains and preload are the site owner's decision (docs/PRODUCTION.md); nothing else.
    warnings = set(re.findall(r"\((\w+\.[WE]\d+)\)", output))
    assert warnings <= {"security.W005", "security.W021"}, output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    "unit",
    [
        "pressdesk-web.service",
        "pressdesk-worker@.service",
        "pressdesk-scheduler.service",
        "pressdesk-backup.service",
        "pressdesk-backup.timer",
    ],
)
def test_systemd_units_are_well_formed(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read(DEPLOY / "systemd" / unit)
    assert "Unit" in parser
    if unit.endswith(".service"):
        exec_start = parser["Service"]["ExecStart"]
        assert "pressdesk" in exec_start
        if "backup" not in unit:
            assert parser["Service"]["EnvironmentFile"] == "/etc/pressdesk/pressdesk.env"
            assert parser["Service"]["User"] == "pressdesk"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", "sqlite3"), ("  ", "sqlite3"), ("mysqlx://nowhere", "DATABASE_URL is not usable")],
)
def test_database_url_empty_means_the_default_and_a_bad_one_says_why(tmp_path, value, expected):
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": value,
        "PRESSDESK_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "pressdesk.settings",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    assert expected in output, output
    assert (result.returncode == 0) == (expected == "sqlite3"), output
