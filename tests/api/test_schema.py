"""The OpenAPI document, the interactive docs under the CSP, and a property-based run of
every operation (schemathesis, in-process against the WSGI app on acme's host with an
API key): no 5xx, and every answer matches the schema."""

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, settings

pytestmark = pytest.mark.django_db


def _schema_dict():
    response = Client(HTTP_HOST="acme.localhost").get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_the_schema_documents_keys_errors_and_every_resource(tenant_a):
    schema = _schema_dict()
    assert schema["components"]["securitySchemes"]["ApiKey"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "tsk_<prefix>_<secret>",
        "description": schema["components"]["securitySchemes"]["ApiKey"]["description"],
    }
    error = schema["components"]["schemas"]["Error"]["properties"]["error"]
    for code in ("validation_error", "read_only_key", "invalid_api_key", "not_found", "invalid_filter"):
        assert code in error["properties"]["code"]["description"]
    for path in ("/api/v1/contacts/", "/api/v1/deals/{id}/move/", "/api/v1/tasks/{id}/complete/",
                 "/api/v1/activities/", "/api/v1/pipelines/", "/api/v1/custom-fields/", "/api/v1/tags/",
                 "/api/v1/contacts/{id}/merge/", "/api/v1/contacts/{id}/erase/", "/api/v1/contacts/{id}/history/",
                 "/api/v1/products/", "/api/v1/products/{id}/archive/", "/api/v1/products/search/",
                 "/api/v1/tax-rates/{id}/", "/api/v1/documents/", "/api/v1/documents/{id}/issue/",
                 "/api/v1/documents/{id}/mark-sent/", "/api/v1/documents/{id}/credit-note/", "/api/v1/payments/",
                 "/api/v1/sales-settings/"):
        assert path in schema["paths"], path
    contacts = schema["paths"]["/api/v1/contacts/"]["get"]
    assert {"cursor", "size", "q", "sort", "city", "created_at__gte"} <= {p["name"] for p in contacts["parameters"]}
    assert contacts["responses"]["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_the_docs_page_loads_its_assets_locally_under_the_csp(tenant_a):
    client = Client(HTTP_HOST="acme.localhost")
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    policy = page["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<style nonce="{nonce}">' in html
    assert "<script>" not in html  # the init script is a separate request (script-src 'self')
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "http" not in html.split("<body>")[1].replace("http://acme.localhost", "")
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    assert client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200


def _seed_sales(owner, contact):
    """Rows for the sales operations to find: a product, a tax rate, documents in several
    states (generated ids hit some of them) and a payment."""
    from tenant_apps.sales.models import TaxRate
    from tenant_apps.sales.services.documents import document_create, invoice_issue, offer_mark_sent
    from tenant_apps.sales.services.payments import payment_record
    from tenant_apps.sales.services.products import product_create

    vat = TaxRate.objects.create(name="VAT", rate="20", is_default=True)
    product_create(actor=owner, data={"sku": "SEED", "name": "Seed product", "tax_rates": [vat]},
                   prices=[{"currency": "EUR", "unit_price": "10"}])
    lines = [{"description": "Seed line", "quantity": "2", "unit_price": "10", "tax_rates": [vat.pk]}]
    document_create(actor=owner, kind="invoice", data={"contact": contact, "currency": "EUR"}, lines=lines)
    offer_mark_sent(document=document_create(actor=owner, kind="offer", data={"contact": contact, "currency": "EUR"},
                                             lines=lines), actor=owner)
    issued = invoice_issue(document=document_create(actor=owner, kind="invoice",
                                                    data={"contact": contact, "currency": "EUR"}, lines=lines),
                           actor=owner)
    payment_record(invoice=issued, actor=owner, amount="5")


@pytest.fixture
def api_schema(make_key, owner, in_acme):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from config.wsgi import application
    from tenant_apps.contacts.models import Contact
    from tenant_apps.records.models import CustomField

    CustomField.objects.create(entity="contact", key="budget", label="Budget", field_type="number")
    seed = Contact.objects.create(first_name="Seed", owner=owner)
    _seed_sales(owner, seed)
    schema = schemathesis.openapi.from_dict(_schema_dict())
    schema.app = application
    schema.secret = make_key(owner)
    # As Django's test client does: the WSGI handler must not close the test's connection
    # (and its transaction) when a request ends. (Django's client reconnects these on
    # every request, hence after _schema_dict().)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_operation_survives_generated_input(api_schema):
    """25 generated requests per operation (about a minute in all), derandomized so a run is repeatable."""
    from hypothesis import given
    from schemathesis.checks import (
        content_type_conformance, not_a_server_error, response_schema_conformance, status_code_conformance,
    )

    all_checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    headers = {"Authorization": f"Bearer {api_schema.secret}"}
    failures = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) > 30
    for operation in operations:
        # The assistant answers 502/503/504 by design when its model is missing or fails
        # (no model is configured here); those answers are documented, which
        # status_code_conformance still checks.
        model_bound = operation.path.startswith("/api/v1/assistant/")
        # (`run` keeps its source: derandomized examples are seeded from it.)
        checks = [c for c in all_checks if c is not not_a_server_error] if model_bound else all_checks

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(base_url="http://acme.localhost", headers=headers, checks=checks)

        try:
            run()
        except BaseException as exc:  # schemathesis raises exception groups; collect every operation's
            if isinstance(exc, KeyboardInterrupt):
                raise
            failures[operation.label] = str(exc)[:3000]
    assert not failures, "\n\n".join(f"{label}: {text}" for label, text in failures.items())
