"""EMAIL_PROVIDER: SMTP by default, a django-anymail provider when named, its settings from
ANYMAIL_* variables (secrets also from files), anything else refused at start."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRINT = ("import json, config.settings.email as s; "
         "print(json.dumps({'backend': s.OUTBOX_DELIVERY_BACKEND, 'anymail': s.ANYMAIL, 'outbox': s.EMAIL_BACKEND}))")


def _load(**env):
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("ANYMAIL_", "EMAIL_PROVIDER", "EMAIL_URL"))}
    environment.update(env)
    return subprocess.run([sys.executable, "-c", PRINT], cwd=ROOT, env=environment, capture_output=True, text=True)


def test_smtp_by_default():
    result = _load(EMAIL_URL="smtp://mail.example.com:2525")
    settings = json.loads(result.stdout)
    assert settings["backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert settings["outbox"] == "shared_apps.outbox.backends.OutboxEmailBackend"  # every send still goes through the outbox


def test_an_anymail_provider_with_a_secret_from_a_file(tmp_path):
    secret = tmp_path / "key"
    secret.write_text("key-123\n")
    result = _load(EMAIL_PROVIDER="mailgun", ANYMAIL_MAILGUN_API_KEY_FILE=str(secret),
                   ANYMAIL_MAILGUN_SENDER_DOMAIN="mg.tessera.app")
    settings = json.loads(result.stdout)
    assert settings["backend"] == "anymail.backends.mailgun.EmailBackend"
    assert settings["anymail"] == {"MAILGUN_API_KEY": "key-123", "MAILGUN_SENDER_DOMAIN": "mg.tessera.app"}


def test_an_unknown_provider_is_refused():
    result = _load(EMAIL_PROVIDER="pigeon")
    assert result.returncode != 0 and "EMAIL_PROVIDER must be smtp or one of" in result.stderr
