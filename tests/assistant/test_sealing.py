"""A workspace's own AI key is encrypted at rest (config.sealing): the database never holds
it in clear, keys can be rotated, and a key that can no longer be opened switches the
workspace's own model off instead of failing."""

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from config.sealing import SealBroken, reseal, seal, unseal
from tenant_apps.assistant.models import AssistantSettings
from tenant_apps.assistant.services import assistant_settings_update

SECRET = "sk-own-0123456789abcdefSECRET"


@pytest.fixture
def own_key(in_acme, owner, settings):
    from billing.models import Plan

    type(in_acme).objects.filter(pk=in_acme.pk).update(plan=Plan.objects.get(code="enterprise"))
    in_acme.refresh_from_db()
    connection.set_tenant(in_acme)
    return assistant_settings_update(tenant=in_acme, actor=owner, base_url="", model="mine", api_key=SECRET)


def test_the_database_holds_the_key_only_encrypted(own_key):
    with connection.cursor() as cursor:
        cursor.execute("SELECT row_to_json(s)::text FROM assistant_assistantsettings s")
        [(stored,)] = cursor.fetchall()
    assert SECRET not in stored and "gAAAA" in stored  # a Fernet token
    assert AssistantSettings.objects.get().api_key == SECRET


def test_a_rotated_key_still_opens_and_reseals(own_key, settings):
    from config.sealing import sealing_keys

    old = AssistantSettings.objects.get().api_key_sealed
    [derived] = sealing_keys()  # no SEALING_KEYS here: the key derived from SECRET_KEY
    new_key = Fernet.generate_key()
    settings.SEALING_KEYS = [new_key, Fernet.generate_key()]
    with pytest.raises(SealBroken):
        unseal(old)  # neither key is the one it was sealed with
    settings.SEALING_KEYS = [new_key, derived]  # rotation: the new key in front
    assert unseal(old) == SECRET
    fresh = reseal(old)
    settings.SEALING_KEYS = [new_key]  # the old key retired
    assert unseal(fresh) == SECRET
    with pytest.raises(SealBroken):
        unseal(old)


def test_a_key_that_cannot_be_opened_switches_the_own_model_off(own_key, in_acme, settings):
    from tenant_apps.assistant.client import endpoint_for

    settings.OPENAI_API_KEY, settings.OPENAI_MODEL = "sk-platform", "platform-model"
    assert endpoint_for(in_acme).own
    settings.SEALING_KEYS = [Fernet.generate_key()]
    row = AssistantSettings.objects.get()
    assert row.api_key == "" and not row.in_use
    endpoint = endpoint_for(in_acme)
    assert endpoint is not None and not endpoint.own and endpoint.api_key == "sk-platform"


def test_empty_values_stay_empty():
    assert seal("") == "" and unseal("") == "" and reseal("") == ""
    with pytest.raises(SealBroken):
        unseal("not a token")
