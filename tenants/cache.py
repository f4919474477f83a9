"""Cache key function: every key carries the schema it was made in.

django-tenants' own key function does the same; ours keeps allauth's rate-limit keys
global, so that failed logins are counted per e-mail across every host of the platform
and not once per workspace an attacker can point at.
"""

from django.db import connection

GLOBAL_KEY_PREFIXES = ("allauth:",)


def make_key(key, key_prefix, version):
    scope = "global" if str(key).startswith(GLOBAL_KEY_PREFIXES) else connection.schema_name
    return f"{scope}:{key_prefix}:{version}:{key}"


def reverse_key(key):
    return key.split(":", 3)[3]
