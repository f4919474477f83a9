"""`assistant_available` and its reason reach every template, lazily."""

import pytest
from django.test import RequestFactory

from tenant_apps.assistant.context_processors import assistant

pytestmark = pytest.mark.django_db


def test_unavailable_with_reason(in_acme, no_ai, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.tenant = in_acme
    with django_assert_num_queries(0):
        context = assistant(request)
    assert not context["assistant_available"]
    assert "not configured" in str(context["assistant_unavailable_reason"])


def test_available(in_acme, fake_openai):
    request = RequestFactory().get("/")
    request.tenant = in_acme
    context = assistant(request)
    assert context["assistant_available"]
    assert str(context["assistant_unavailable_reason"]) == ""


def test_the_check_is_cheap(in_acme, fake_openai, django_assert_max_num_queries):
    from tenant_apps.assistant.client import assistant_available

    with django_assert_max_num_queries(3):  # search_path, the plan, this month's usage
        assert assistant_available(in_acme) == (True, "")
