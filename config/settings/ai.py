"""The AI assistant: one OpenAI-compatible endpoint for the whole platform.

OPENAI_API_KEY (or OPENAI_API_KEY_FILE) and OPENAI_MODEL switch it on; OPENAI_BASE_URL
points the openai SDK at any compatible server (OpenAI when unset, Azure's /openai/v1
endpoint, vLLM, Ollama's http://host:11434/v1). Without a key and a model the assistant
is off and its buttons say so. Enterprise workspaces may set their own key, base URL and
model on /settings/assistant/ (tenant_apps/assistant).

Calls time out after OPENAI_TIMEOUT_SECONDS and are retried OPENAI_MAX_RETRIES times on
timeouts, 5xx, 429 and malformed answers, waiting OPENAI_RETRY_BACKOFF_SECONDS, then
twice that, and so on. AI credits: one per AI_TOKENS_PER_CREDIT tokens (prompt plus
answer) of a call, rounded up; see tenant_apps/assistant/client.py.
"""

from .environment import env

OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")
OPENAI_MODEL = env.str("OPENAI_MODEL", default="")
OPENAI_TIMEOUT_SECONDS = env.float("OPENAI_TIMEOUT_SECONDS", default=60.0)
OPENAI_MAX_RETRIES = env.int("OPENAI_MAX_RETRIES", default=2)
OPENAI_RETRY_BACKOFF_SECONDS = env.float("OPENAI_RETRY_BACKOFF_SECONDS", default=1.0)
AI_TOKENS_PER_CREDIT = env.int("AI_TOKENS_PER_CREDIT", default=1000)
# A workspace's own base URL must resolve to public addresses only (see
# tenant_apps/assistant/endpoints.py); development and tests run models on loopback.
AI_ENDPOINT_ALLOW_PRIVATE_HOSTS = env.bool("AI_ENDPOINT_ALLOW_PRIVATE_HOSTS", default=False)
# Keys that encrypt a workspace's own AI key at rest (config/sealing.py): Fernet keys,
# comma-separated, newest first. Unset, one is derived from SECRET_KEY.
SEALING_KEYS = env.list("SEALING_KEYS", default=[])
