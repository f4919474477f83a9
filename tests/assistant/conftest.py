"""The fake OpenAI-compatible server (tests/assistant/fake_openai.py) and settings that
point the assistant at it. Short timeouts and backoff keep the failure tests quick."""

import pytest

from tests.assistant.fake_openai import FakeOpenAI


@pytest.fixture(scope="session")
def _fake_openai_server():
    fake = FakeOpenAI().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_openai(_fake_openai_server, settings):
    """The running fake server, emptied, with the platform's AI settings pointing at it."""
    fake = _fake_openai_server
    fake.reset()
    settings.OPENAI_API_KEY = "sk-platform-test"
    settings.OPENAI_BASE_URL = fake.url
    settings.OPENAI_MODEL = "fake-model"
    settings.OPENAI_TIMEOUT_SECONDS = 1.0
    settings.OPENAI_MAX_RETRIES = 2
    settings.OPENAI_RETRY_BACKOFF_SECONDS = 0.01
    settings.AI_TOKENS_PER_CREDIT = 1000
    yield fake
    fake.reset()


@pytest.fixture
def no_ai(settings):
    """No model configured anywhere."""
    settings.OPENAI_API_KEY = ""
    settings.OPENAI_BASE_URL = ""
    settings.OPENAI_MODEL = ""


from tests.api.conftest import api_for, make_key  # noqa: E402,F401  (API clients for the personas)


@pytest.fixture
def on_plan(tenant_a):
    """on_plan(code): move acme to that plan (rolled back with the test)."""
    from billing.models import Plan

    def move(code):
        type(tenant_a).objects.filter(pk=tenant_a.pk).update(plan=Plan.objects.get(code=code))

    return move
