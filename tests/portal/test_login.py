import pytest
from django.test import Client

from tests.helpers import PASSWORD
from tests.portal_helpers import make_customer

pytestmark = pytest.mark.django_db
HOST = "acme.portal.localhost"


def test_a_customer_signs_in_with_a_password(tenant_a, customer):
    client = Client(HTTP_HOST=HOST)
    response = client.post("/login/", {"email": "nora@northwind.test", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_is_one_clear_answer(tenant_a, customer):
    response = Client(HTTP_HOST=HOST).post("/login/", {"email": "nora@northwind.test", "password": "nope"})
    assert response.status_code == 400
    assert "not right" in response.content.decode()


def test_staff_cannot_sign_in_to_the_portal(tenant_a, owner):
    response = Client(HTTP_HOST=HOST).post("/login/", {"email": owner.email, "password": PASSWORD})
    assert response.status_code == 400


def test_a_customer_of_another_workspace_cannot_sign_in_here(tenant_a, tenant_b):
    make_customer(tenant_b, email="bea@umbrella.test", company="Umbrella", name="Bea Beyond")
    response = Client(HTTP_HOST=HOST).post("/login/", {"email": "bea@umbrella.test", "password": PASSWORD})
    assert response.status_code == 400


def test_next_never_leaves_the_portal(tenant_a, customer):
    response = Client(HTTP_HOST=HOST).post(
        "/login/?next=https://evil.test/", {"email": "nora@northwind.test", "password": PASSWORD}
    )
    assert response["Location"] == "/"
