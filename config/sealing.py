"""Secrets a workspace gives us to use on its behalf (its own AI provider key), encrypted
at rest with Fernet (AES-128-CBC with HMAC-SHA256), so a copy of the database or a backup
does not give them away.

Keys come from SEALING_KEYS (a list, newest first; each a Fernet key, see
`Fernet.generate_key()`): values are sealed with the first and opened with any, so a key
is rotated by putting the new one in front and re-sealing (`reseal`). Without the
setting, one key is derived from SECRET_KEY, which then must not change while sealed
values exist.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SealBroken(Exception):
    """A sealed value that none of the keys opens (keys changed, or the value damaged)."""


def sealing_keys() -> list:
    """The keys in use, newest first: SEALING_KEYS, else the one derived from SECRET_KEY."""
    keys = list(getattr(settings, "SEALING_KEYS", None) or [])
    if not keys:
        derived = hashlib.sha256(b"tessera.sealing:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(derived)]
    return keys


def _box() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in sealing_keys()])


def seal(value: str) -> str:
    """The encrypted form of `value` ("" stays "")."""
    if not value:
        return ""
    return _box().encrypt(value.encode()).decode()


def unseal(token: str) -> str:
    """`token` opened ("" stays ""); SealBroken when no key opens it."""
    if not token:
        return ""
    try:
        return _box().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError) as exc:
        raise SealBroken() from exc


def reseal(token: str) -> str:
    """`token` sealed again with the newest key (after a rotation)."""
    if not token:
        return ""
    try:
        return _box().rotate(token.encode()).decode()
    except (InvalidToken, ValueError) as exc:
        raise SealBroken() from exc
