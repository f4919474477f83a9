"""The one place that reads the process environment.

Every settings module imports ``env`` from here. ``FileAwareEnv`` lets any secret be
given as ``NAME_FILE=/run/secrets/name`` instead of ``NAME=value`` (Kubernetes and
Docker secrets). After a first ``make run`` the launcher leaves the embedded services'
URLs in ``.local/env`` so that ``./manage.py shell`` and friends find them too.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parents[2]
LOCAL_DIR = BASE_DIR / ".local"

env = environ.FileAwareEnv()

_local_env_file = LOCAL_DIR / "env"
if _local_env_file.exists():
    # Values already in the environment win over the file.
    environ.Env.read_env(str(_local_env_file), overwrite=False)
