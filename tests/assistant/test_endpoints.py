"""A workspace's own model address may not point into the platform's network."""

import pytest

from tenant_apps.assistant import client as ai
from tenant_apps.assistant.endpoints import endpoint_is_refused
from tenant_apps.assistant.errors import EndpointRefused, SettingsInvalid
from tenant_apps.assistant.models import AssistantSettings
from tenant_apps.assistant.services import assistant_settings_update

SECRET = "sk-own-very-secret-123"


@pytest.fixture
def strict(settings):
    settings.AI_ENDPOINT_ALLOW_PRIVATE_HOSTS = False


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:11434/v1",
    "http://localhost:8000/v1",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.5/v1",
    "http://192.168.1.20/v1",
    "http://172.16.0.1/v1",
    "http://100.64.0.1/v1",
    "http://[::1]:8080/v1",
    "http://[fe80::1]/v1",
    "http://[::ffff:127.0.0.1]/v1",
    "http://0.0.0.0/v1",
    "http:///v1",
])
def test_private_and_local_addresses_are_refused(strict, url):
    assert endpoint_is_refused(url, unresolved_ok=True)


def test_public_addresses_pass(strict):
    assert not endpoint_is_refused("https://8.8.8.8/v1", unresolved_ok=True)
    assert not endpoint_is_refused("", unresolved_ok=True)  # the platform's own endpoint


def test_a_name_that_does_not_resolve_is_refused_only_when_asked(strict):
    assert not endpoint_is_refused("https://models.acme.invalid/v1", unresolved_ok=True)
    assert endpoint_is_refused("https://models.acme.invalid/v1", unresolved_ok=False)


@pytest.mark.django_db
def test_saving_a_private_address_is_refused_and_keeps_nothing(strict, on_plan, in_acme, owner, client_for):
    on_plan("enterprise")
    with pytest.raises(SettingsInvalid) as refused:
        assistant_settings_update(tenant=in_acme, actor=owner, base_url="http://169.254.169.254/v1", model="m",
                                  api_key=SECRET)
    assert "private network" in str(refused.value.message)
    assert not AssistantSettings.objects.exists()
    response = client_for(owner).post("/settings/assistant/", {"base_url": "http://10.1.2.3/v1", "model": "m",
                                                               "api_key": SECRET})
    assert response.status_code == 400 and "private network" in response.content.decode()
    assert not AssistantSettings.objects.exists()


@pytest.mark.django_db
def test_a_saved_address_that_turns_private_is_not_called(on_plan, in_acme, owner, fake_openai, settings):
    # given an endpoint saved while it was allowed (say, a name re-pointed at a private address later)
    on_plan("enterprise")
    assistant_settings_update(tenant=in_acme, actor=owner, base_url=fake_openai.url, model="own", api_key=SECRET)
    calls = len(fake_openai.requests)
    # when the rule applies
    settings.AI_ENDPOINT_ALLOW_PRIVATE_HOSTS = False
    # then nothing is sent there, and the member is told what to do
    with pytest.raises(EndpointRefused):
        ai.chat_text(purpose="test", messages=[{"role": "user", "content": "Hi"}])
    assert len(fake_openai.requests) == calls
