"""`manage.py check --deploy` is clean for a production-like configuration."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "SECURE_SSL_REDIRECT": "true",
    "ALLOWED_HOSTS": "hub.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://hub.example.com",
    "SITE_URL": "https://hub.example.com",
    # Django's deploy check refuses the console email backend, the development default.
    "EMAIL_URL": "smtp+tls://mailer:secret@mail.example.com:587",
    # The cache all processes share (the check connects to nothing).
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def check_deploy(env):
    # Only the basics of the parent's environment: none of the test run's own settings.
    inherited = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_prints_no_warnings():
    result = check_deploy(PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_warns_of_a_cache_each_process_keeps_to_itself():
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != "REDIS_URL"}

    result = check_deploy(env)

    assert result.returncode != 0
    assert "(bakhmach.W001) The default cache is not shared between processes" in result.stderr
    assert "System check identified 1 issue" in result.stderr
