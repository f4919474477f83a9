"""Settings → AI assistant: a workspace's own key, base URL and model (Enterprise)."""

import pytest

from tenant_apps.assistant import client as ai
from tenant_apps.assistant.errors import OwnKeyUnavailable, SettingsForbidden, SettingsInvalid
from tenant_apps.assistant.models import AssistantSettings
from tenant_apps.assistant.services import assistant_settings_update

pytestmark = pytest.mark.django_db

URL = "/settings/assistant/"
SECRET = "sk-own-very-secret-123"


def test_it_shows_the_platform_model_and_the_credits(client_for, fake_openai, owner):
    page = client_for(owner).get(URL).content.decode()
    assert "fake-model" in page and 'data-assistant-status="on"' in page
    assert "AI credits used this month" in page
    assert "data-plan-notice" in page  # Pro: no own key


def test_not_configured(client_for, no_ai, owner):
    page = client_for(owner).get(URL).content.decode()
    assert 'data-assistant-status="off"' in page


def test_a_sales_rep_gets_nothing(client_for, sales_rep):
    assert client_for(sales_rep).get(URL).status_code == 403


def test_own_key_needs_enterprise(client_for, in_acme, owner):
    client = client_for(owner)
    response = client.post(URL, {"base_url": "http://127.0.0.1:9/v1", "model": "mine", "api_key": SECRET})
    assert response.status_code == 403
    assert not AssistantSettings.objects.exists()
    with pytest.raises(OwnKeyUnavailable):
        assistant_settings_update(tenant=in_acme, actor=owner, base_url="", model="mine", api_key=SECRET)


def test_own_key_on_enterprise_is_used_and_never_shown(client_for, on_plan, fake_openai, owner, in_acme):
    from billing.usage import usage_month

    # given
    on_plan("enterprise")
    client = client_for(owner)
    # when
    response = client.post(URL, {"base_url": fake_openai.url, "model": "own-model", "api_key": SECRET}, follow=True)
    # then: saved, the key never in the page
    assert response.status_code == 200
    page = response.content.decode()
    assert SECRET not in page and "A key is saved." in page and "own-model" in page
    # calls go with the workspace's key and model, and use no AI credits
    before = usage_month(in_acme)["ai_credits"]
    assert call_the_model(in_acme) == "Hello from the fake model."
    request = fake_openai.requests[-1]
    assert request["headers"]["authorization"] == f"Bearer {SECRET}"
    assert request["body"]["model"] == "own-model"
    assert usage_month(in_acme)["ai_credits"] == before
    # an empty key field keeps the key; the checkbox removes it
    client.post(URL, {"base_url": fake_openai.url, "model": "own-2", "api_key": ""})
    assert AssistantSettings.objects.get().api_key == SECRET
    client.post(URL, {"base_url": "", "model": "", "api_key": "", "clear_key": "on"})
    assert AssistantSettings.objects.get().api_key == ""
    from tenant_apps.assistant.client import endpoint_for

    assert endpoint_for(in_acme).model == "fake-model"


def call_the_model(tenant):
    from django.db import connection

    connection.set_tenant(tenant)
    return ai.chat_text(purpose="test", messages=[{"role": "user", "content": "Hi"}])


def test_a_key_needs_a_model(on_plan, in_acme, owner):
    on_plan("enterprise")
    with pytest.raises(SettingsInvalid):
        assistant_settings_update(tenant=in_acme, actor=owner, base_url="", model="", api_key=SECRET)


def test_bad_url_is_a_form_error(client_for, on_plan, owner):
    on_plan("enterprise")
    response = client_for(owner).post(URL, {"base_url": "not a url at all", "model": "m", "api_key": SECRET})
    assert response.status_code == 400
    assert not AssistantSettings.objects.exists()


def test_only_admins(on_plan, in_acme, sales_rep):
    on_plan("enterprise")
    with pytest.raises(SettingsForbidden):
        assistant_settings_update(tenant=in_acme, actor=sales_rep, base_url="", model="m", api_key=SECRET)


def test_own_settings_are_ignored_after_a_downgrade(on_plan, in_acme, owner, fake_openai):
    from tenant_apps.assistant.client import endpoint_for

    on_plan("enterprise")
    assistant_settings_update(tenant=in_acme, actor=owner, base_url=fake_openai.url, model="own", api_key=SECRET)
    assert endpoint_for(in_acme).own
    on_plan("pro")
    assert endpoint_for(in_acme).model == "fake-model" and not endpoint_for(in_acme).own


def test_a_new_base_url_needs_the_key_again(on_plan, in_acme, owner, admin):
    # given: the owner's key for their endpoint
    from tenant_apps.assistant.models import AssistantSettings

    on_plan("enterprise")
    assistant_settings_update(tenant=in_acme, actor=owner, base_url="https://models.acme.example/v1", model="m",
                              api_key=SECRET)
    # when: an admin, who never saw the key, points the endpoint elsewhere without it
    assistant_settings_update(tenant=in_acme, actor=admin, base_url="https://elsewhere.example/v1", model="m",
                              api_key="")
    # then: the key is not carried over to the new endpoint
    assert AssistantSettings.objects.get().api_key == ""
    # and keeping the same endpoint keeps the key
    assistant_settings_update(tenant=in_acme, actor=owner, base_url="https://elsewhere.example/v1", model="m",
                              api_key=SECRET)
    assistant_settings_update(tenant=in_acme, actor=owner, base_url="https://elsewhere.example/v1", model="m2",
                              api_key=None)
    assert AssistantSettings.objects.get().api_key == SECRET
