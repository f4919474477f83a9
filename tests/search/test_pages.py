"""The search page, its "more" per type, the suggestions under the top-bar box."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_the_box_is_in_the_top_bar(crm, client_for, owner):
    page = client_for(owner).get("/contacts/").content.decode()
    assert 'data-search-box' in page and 'data-suggest-url="/search/suggest/"' in page
    assert "search/search.js" in page


def test_the_page_groups_hits_by_type(crm, client_for, owner):
    response = client_for(owner).get("/search/", {"q": "iva"})
    assert response.status_code == 200
    page = response.content.decode()
    order = [page.index(f'data-search-type="{t}"') for t in ("contacts", "companies", "deals", "tasks", "notes")]
    assert order == sorted(order)
    assert "<mark>Iva</mark>nka" in page
    assert f'href="/contacts/{crm["ivan"].pk}/"' in page


def test_more_loads_the_next_hits_of_one_type(crm, client_for, owner, monkeypatch):
    from tenant_apps.search import views

    monkeypatch.setattr(views, "PAGE_PER_TYPE", 1)
    monkeypatch.setattr(views, "MORE_PER_TYPE", 1)
    client = client_for(owner)
    page = client.get("/search/", {"q": "iva"}).content.decode()
    assert "/search/?q=iva&amp;type=contacts&amp;offset=1" in page
    # when: the page's "Show more" link is fetched
    more = client.get("/search/", {"q": "iva", "type": "contacts", "offset": "1"}, HTTP_X_REQUESTED_WITH="fetch")
    # then: list items of that type only, and a link to the next
    fragment = more.content.decode()
    assert fragment.count('class="search-hit"') == 1
    assert "offset=2" in fragment and "<html" not in fragment
    last = client.get("/search/", {"q": "iva", "type": "contacts", "offset": "2"}, HTTP_X_REQUESTED_WITH="fetch")
    assert "data-load-more" not in last.content.decode()
    # without JavaScript the link opens the page with that type only
    plain = client.get("/search/", {"q": "iva", "type": "contacts", "offset": "1"}).content.decode()
    assert 'data-search-type="contacts"' in plain and 'data-search-type="deals"' not in plain


@pytest.mark.parametrize("q", ["", "x", "%%%", "a" * 300, "'\\\"<script>"])
@pytest.mark.parametrize("url", ["/search/", "/search/suggest/"])
def test_bad_queries_get_a_friendly_message(crm, client_for, owner, url, q):
    response = client_for(owner).get(url, {"q": q, "offset": "nope", "type": "bogus"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>" not in page
    if url.endswith("suggest/"):
        assert "search-suggest-note" in page


def test_the_page_without_a_query_shows_only_the_form(crm, client_for, owner):
    page = client_for(owner).get("/search/").content.decode()
    assert 'id="search-page-q"' in page and 'class="empty"' not in page
    assert "Type a name" in client_for(owner).get("/search/", {"q": ""}).content.decode()


def test_no_hits_says_so(crm, client_for, owner):
    assert "Nothing found" in client_for(owner).get("/search/", {"q": "zzzqqq"}).content.decode()
    assert "Nothing found" in client_for(owner).get("/search/suggest/", {"q": "zzzqqq"}).content.decode()


def test_messages_in_bulgarian(crm, client_for, owner):
    from shared_apps.accounts.models import User

    User.objects.filter(pk=owner.pk).update(language="bg")
    page = client_for(owner).get("/search/suggest/", {"q": "x"}).content.decode()
    assert "Type at least" not in page and "Въведете" in page


def test_suggestions_under_the_box(crm, client_for, owner):
    response = client_for(owner).get("/search/suggest/", {"q": "Ива"})
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert page.count('role="option"') == 3  # two contacts and "all results"
    assert "<mark>Иван</mark>" in page or "<mark>Ива</mark>н" in page
    assert "/search/?q=%D0%98%D0%B2%D0%B0" in page


def test_record_text_is_escaped_in_hits(crm, client_for, owner):
    from tenant_apps.contacts.models import Contact

    Contact.objects.create(first_name="<b>Ivo</b>", last_name="&amp; Co", owner=owner)
    page = client_for(owner).get("/search/suggest/", {"q": "ivo co"}).content.decode()
    assert "<b>Ivo" not in page
    assert "&lt;b&gt;" in page and "&amp;amp;" in page


def test_restricted_rep_finds_only_their_records(crm, restricted, client_for, sales_rep):
    page = client_for(sales_rep).get("/search/", {"q": "iva"}).content.decode()
    assert f'href="/contacts/{crm["ivanka"].pk}/"' in page
    assert "Petrov" not in page and "renewal" not in page


def test_other_workspace_never_appears(crm, client_for, owner):
    page = client_for(owner).get("/search/", {"q": "globex"}).content.decode()
    assert "ivan@globex.example" not in page


def test_queries_do_not_grow_with_hits(crm, client_for, owner):
    from tenant_apps.contacts.models import Contact

    client = client_for(owner)
    client.get("/search/suggest/", {"q": "iva"})

    def selects():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/search/", {"q": "iva"}).status_code == 200
        return len([q for q in captured.captured_queries if not q["sql"].startswith("SET ")])

    selects()
    before = selects()
    Contact.objects.bulk_create([Contact(first_name=f"Ivailo{i}", owner=owner) for i in range(15)])
    assert selects() == before


def test_suggestions_rank_fewer_candidates_than_the_page(crm, client_for, owner):
    from tenant_apps.search.selectors import CANDIDATES, SUGGEST_CANDIDATES

    client = client_for(owner)
    client.get("/search/suggest/", {"q": "iva"})

    def ranked_sql(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"q": "iva"}).status_code == 200
        [sql] = [q["sql"] for q in captured.captured_queries if "UNION ALL" in q["sql"]]
        return sql

    # the dropdown shows 4 per type: it ranks the first 100 matches of each, the page 500
    assert SUGGEST_CANDIDATES < CANDIDATES
    assert f"FROM matches LIMIT {SUGGEST_CANDIDATES})" in ranked_sql("/search/suggest/")
    assert f"FROM matches LIMIT {CANDIDATES})" in ranked_sql("/search/")
