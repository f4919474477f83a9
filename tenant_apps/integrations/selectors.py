"""Reading API keys: the settings list, and the key behind a presented secret."""

import hashlib
import hmac

from .models import ApiKey

KEY_PREFIX = "tsk_"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_keys_list() -> list[ApiKey]:
    """Every key of the workspace, newest first, with the member it acts as."""
    return list(ApiKey.objects.select_related("created_by").order_by("-created_at", "-pk"))


def api_key_for_secret(secret: str) -> ApiKey | None:
    """The key whose secret is `secret` (revoked and expired ones included: the caller
    says why it fails), with its creator; None if there is none. One query."""
    parts = secret.split("_")
    if len(parts) != 3 or f"{parts[0]}_" != KEY_PREFIX or not parts[1] or not parts[2]:
        return None
    key = ApiKey.objects.select_related("created_by").filter(prefix=f"{parts[0]}_{parts[1]}").first()
    if key is None or not hmac.compare_digest(key.secret_hash, secret_hash(secret)):
        return None
    return key
