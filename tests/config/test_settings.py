"""Production settings refuse to start on unsafe configuration, with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"SECRET_KEY": "k" * 64, "APP_DOMAIN": "tessera.app", "DJANGO_DEBUG": "0"}


def _load(**env):
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "APP_DOMAIN", "DJANGO_DEBUG")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings.production"],
        cwd=ROOT, env=environment, capture_output=True, text=True,
    )


def test_good_configuration_loads():
    assert _load(**GOOD).returncode == 0


@pytest.mark.parametrize(
    "change, message",
    [
        ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG is on"),
        ({"SECRET_KEY": ""}, "SECRET_KEY is unset"),
        ({"SECRET_KEY": "insecure-development-key-never-use-in-production"}, "SECRET_KEY is unset"),
        ({"SECRET_KEY": "short"}, "shorter than 50"),
        ({"APP_DOMAIN": ""}, "APP_DOMAIN is unset"),
        ({"APP_DOMAIN": "localhost"}, "APP_DOMAIN is unset or local"),
    ],
)
def test_unsafe_configuration_is_refused(change, message):
    result = _load(**{**GOOD, **change})
    assert result.returncode != 0
    assert "Refusing to start" in result.stderr and message in result.stderr


def test_secret_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s" * 64)
    env = {**GOOD, "SECRET_KEY_FILE": str(secret)}
    del env["SECRET_KEY"]
    assert _load(**env).returncode == 0
