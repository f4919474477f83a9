"""PostgreSQL client programs (pg_dump) and small catalog helpers."""

import importlib.util
import os
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import connection

from .errors import PgToolMissing


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = %s)", [name])
        return cursor.fetchone()[0]


def _candidate_dirs() -> list[Path]:
    dirs = []
    if settings.PG_BIN_DIR:
        dirs.append(Path(settings.PG_BIN_DIR))
    # The embedded server's own client programs, when pgserver is installed (found
    # without importing it: its import starts a lock-file machinery we do not need).
    spec = importlib.util.find_spec("pgserver")
    if spec is not None and spec.submodule_search_locations:
        dirs.append(Path(spec.submodule_search_locations[0]) / "pginstall" / "bin")
    on_path = shutil.which("pg_dump")
    if on_path:
        dirs.append(Path(on_path).parent)
    return dirs


def _tool_major_version(path: Path) -> int:
    out = subprocess.run([str(path), "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else 0


@lru_cache(maxsize=8)
def _find_tool(name: str, server_major: int) -> str:
    for directory in _candidate_dirs():
        path = directory / name
        if path.exists() and os.access(path, os.X_OK) and _tool_major_version(path) >= server_major:
            return str(path)
    raise PgToolMissing(
        f"No {name} of version {server_major} or newer was found "
        f"(looked in: {', '.join(str(d) for d in _candidate_dirs()) or 'nowhere'}). "
        "Install the PostgreSQL client programs or set PG_BIN_DIR."
    )


def pg_tool(name: str) -> str:
    connection.ensure_connection()
    return _find_tool(name, connection.pg_version // 10000)


def _connection_args() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def pg_dump_schema(schema: str, *, schema_only: bool = False, output: Path | None = None) -> str | None:
    """Plain-SQL dump of one schema without owners or grants; text, or written to `output`."""
    args, env = _connection_args()
    command = [pg_tool("pg_dump"), *args, "--schema", schema, "--no-owner", "--no-privileges", "--format=plain"]
    if schema_only:
        command.append("--schema-only")
    if output is not None:
        command += ["--file", str(output)]
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"pg_dump of schema {schema} failed: {result.stderr.strip()}")
    return None if output is not None else result.stdout


_DOLLAR_QUOTE = re.compile(r"\$[A-Za-z_][A-Za-z_0-9]*\$|\$\$")


def sql_lines_outside_bodies(script: str):
    """Yield (line, outside) for each line of a pg_dump script, where `outside` is False
    for lines inside a dollar-quoted body (function definitions), which must be kept
    byte for byte."""
    tag = None
    for line in script.splitlines():
        outside = tag is None
        for match in _DOLLAR_QUOTE.finditer(line):
            if tag is None:
                tag = match.group(0)
            elif match.group(0) == tag:
                tag = None
        yield line, outside and tag is None


def schema_size_bytes(schema: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %s AND c.relkind IN ('r', 'm', 'p')
            """,
            [schema],
        )
        return int(cursor.fetchone()[0])
