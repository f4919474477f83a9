"""`migrate` is migrate_schemas here (as in django-tenants), including the template."""

from .migrate_schemas import Command  # noqa: F401
