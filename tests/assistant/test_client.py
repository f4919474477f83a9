"""tenant_apps.assistant.client against the fake server, through the real openai SDK."""

import pytest

from tenant_apps.assistant import client
from tenant_apps.assistant.errors import (
    AssistantTimeout,
    CreditsExhausted,
    MalformedAnswer,
    NotConfigured,
    UpstreamError,
)
from tests.assistant.fake_openai import Reply

pytestmark = pytest.mark.django_db

SCHEMA = {
    "type": "object",
    "required": ["score"],
    "properties": {"score": {"type": "integer", "minimum": 0, "maximum": 100}},
    "additionalProperties": False,
}
MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]


def ai_credits(tenant):
    from billing.usage import usage_month

    return usage_month(tenant)["ai_credits"]


def test_text_answer_is_metered(in_acme, fake_openai):
    # given: the fake answers with 120 prompt + 80 answer tokens by default
    before = ai_credits(in_acme)
    # when
    text = client.chat_text(purpose="test", messages=MESSAGES)
    # then: one credit (200 tokens, one per 1,000 rounded up), the model and key sent
    assert text == "Hello from the fake model."
    assert ai_credits(in_acme) == before + 1
    request = fake_openai.requests[-1]
    assert request["body"]["model"] == "fake-model"
    assert request["headers"]["authorization"] == "Bearer sk-platform-test"


def test_credits_follow_the_token_count(in_acme, fake_openai):
    fake_openai.script(Reply(prompt_tokens=2000, completion_tokens=1001))
    before = ai_credits(in_acme)
    answer = client.chat_text_answer(purpose="test", messages=MESSAGES)
    assert (answer.tokens, answer.credits) == (3001, 4)
    assert ai_credits(in_acme) == before + 4


def test_json_answer_is_validated(in_acme, fake_openai):
    fake_openai.json = {"score": 42}
    assert client.chat_json(purpose="test", messages=MESSAGES, schema=SCHEMA) == {"score": 42}
    assert fake_openai.last["response_format"] == {"type": "json_object"}
    assert '"score"' in fake_openai.sent_text()  # the schema is in the prompt


def test_wrong_json_shape_is_retried_then_accepted(in_acme, fake_openai):
    fake_openai.script(Reply(json={"verdict": "great"}))
    fake_openai.json = {"score": 7}
    before = ai_credits(in_acme)
    answer = client.chat_json_answer(purpose="test", messages=MESSAGES, schema=SCHEMA)
    assert answer.data == {"score": 7}
    assert len(fake_openai.requests) == 2
    assert answer.credits == 2 and ai_credits(in_acme) == before + 2  # the wrong answer was paid for too


def test_wrong_json_shape_every_time_is_a_clear_error(in_acme, fake_openai):
    fake_openai.json = {"score": "high"}
    with pytest.raises(MalformedAnswer) as caught:
        client.chat_json(purpose="test", messages=MESSAGES, schema=SCHEMA)
    assert caught.value.code == "malformed_answer"
    assert "wrong format" in str(caught.value.message)
    assert len(fake_openai.requests) == 3  # one try and two retries


def test_malformed_body_is_retried(in_acme, fake_openai):
    fake_openai.script(Reply(malformed=True))
    assert client.chat_text(purpose="test", messages=MESSAGES) == "Hello from the fake model."
    assert len(fake_openai.requests) == 2


def test_malformed_json_content(in_acme, fake_openai):
    fake_openai.script(*[Reply(content="{not json")] * 3)
    with pytest.raises(MalformedAnswer):
        client.chat_json(purpose="test", messages=MESSAGES, schema=SCHEMA)


def test_500_is_retried_with_backoff(in_acme, fake_openai):
    fake_openai.script(Reply(status=500), Reply(status=503))
    assert client.chat_text(purpose="test", messages=MESSAGES) == "Hello from the fake model."
    assert len(fake_openai.requests) == 3


def test_500_every_time_is_a_clear_error(in_acme, fake_openai):
    before = ai_credits(in_acme)
    fake_openai.script(*[Reply(status=500)] * 3)
    with pytest.raises(UpstreamError) as caught:
        client.chat_text(purpose="test", messages=MESSAGES)
    assert caught.value.code == "upstream_error"
    assert ai_credits(in_acme) == before  # nothing answered, nothing metered


def test_429_is_retried(in_acme, fake_openai):
    fake_openai.script(Reply(status=429))
    assert client.chat_text(purpose="test", messages=MESSAGES)
    assert len(fake_openai.requests) == 2


def test_401_is_not_retried(in_acme, fake_openai):
    fake_openai.script(Reply(status=401))
    with pytest.raises(UpstreamError) as caught:
        client.chat_text(purpose="test", messages=MESSAGES)
    assert "API key" in str(caught.value.message)
    assert len(fake_openai.requests) == 1


def test_slow_answer_times_out_then_retries(in_acme, fake_openai, settings):
    settings.OPENAI_TIMEOUT_SECONDS = 0.3
    fake_openai.script(Reply(delay=0.6))
    assert client.chat_text(purpose="test", messages=MESSAGES) == "Hello from the fake model."


def test_slow_every_time_is_a_timeout(in_acme, fake_openai, settings):
    settings.OPENAI_TIMEOUT_SECONDS = 0.2
    settings.OPENAI_MAX_RETRIES = 1
    fake_openai.script(*[Reply(delay=0.5)] * 2)
    with pytest.raises(AssistantTimeout) as caught:
        client.chat_text(purpose="test", messages=MESSAGES)
    assert caught.value.code == "timeout"


def test_stream_yields_pieces_and_meters_at_the_end(in_acme, fake_openai):
    fake_openai.text = "One two three four"
    before = ai_credits(in_acme)
    pieces = client.chat_stream(purpose="test", messages=MESSAGES)
    assert ai_credits(in_acme) == before  # not before the end
    assert list(pieces) == ["One", " two", " three", " four"]
    assert fake_openai.last["stream"] is True
    assert ai_credits(in_acme) == before + 1


def test_stream_500_at_the_start_is_retried(in_acme, fake_openai):
    fake_openai.script(Reply(status=500))
    assert "".join(client.chat_stream(purpose="test", messages=MESSAGES)) == "Hello from the fake model."


def test_stream_500_every_time_raises_before_streaming(in_acme, fake_openai):
    fake_openai.script(*[Reply(status=500)] * 3)
    with pytest.raises(UpstreamError):
        client.chat_stream(purpose="test", messages=MESSAGES)


def test_malformed_stream_is_a_clear_error(in_acme, fake_openai):
    fake_openai.script(Reply(malformed=True, content="a b c"))
    pieces = client.chat_stream(purpose="test", messages=MESSAGES)
    with pytest.raises(MalformedAnswer):
        list(pieces)


def test_stalled_stream_times_out(in_acme, fake_openai, settings):
    settings.OPENAI_TIMEOUT_SECONDS = 0.3
    fake_openai.script(Reply(content="a b c", chunk_delay=0.6))
    with pytest.raises(AssistantTimeout):
        list(client.chat_stream(purpose="test", messages=MESSAGES))


def test_not_configured(in_acme, no_ai):
    assert client.assistant_available() == (False, client.assistant_available()[1])
    assert "not configured" in client.assistant_available()[1]
    with pytest.raises(NotConfigured) as caught:
        client.chat_text(purpose="test", messages=MESSAGES)
    assert caught.value.code == "not_configured"


def test_available(in_acme, fake_openai):
    assert client.assistant_available() == (True, "")


def test_credits_exhausted_refuses_before_calling(in_acme, fake_openai):
    from billing.models import Plan

    Plan.objects.filter(code="pro").update(ai_credits_per_month=0)
    available, reason = client.assistant_available()
    assert not available and "credits" in reason
    with pytest.raises(CreditsExhausted) as caught:
        client.chat_text(purpose="test", messages=MESSAGES)
    assert caught.value.code == "credits_exhausted"
    assert fake_openai.requests == []


def test_the_last_credits_are_never_overdrawn(in_acme, fake_openai):
    from billing.models import Plan

    Plan.objects.filter(code="pro").update(ai_credits_per_month=ai_credits(in_acme) + 2)
    fake_openai.script(Reply(prompt_tokens=5000))
    client.chat_text(purpose="test", messages=MESSAGES)  # used 6 credits, 2 were left
    assert ai_credits(in_acme) == Plan.objects.get(code="pro").ai_credits_per_month
    with pytest.raises(CreditsExhausted):
        client.chat_text(purpose="test", messages=MESSAGES)


def test_messages_in_bulgarian(in_acme, no_ai):
    from django.utils import translation

    with translation.override("bg"):
        with pytest.raises(NotConfigured) as caught:
            client.chat_text(purpose="test", messages=MESSAGES)
        assert str(caught.value.message) == "AI асистентът не е настроен за това работно пространство."
        assert client.assistant_available()[1].startswith("AI не е настроен")
