"""search_global: ranking, prefixes, Cyrillic, visibility per role, notes and tasks, the
other workspace, bad queries, bounded queries, and the pg_trgm fallback."""

import importlib

import pytest
from django.db import connection

from tenant_apps.search.selectors import (
    SEARCH_TYPES, search_global, search_problem, trigram_available, trigram_forget,
)

pytestmark = pytest.mark.django_db


def ids(groups, kind):
    return [h.id for g in groups if g.type == kind for h in g.hits]


def titles(groups, kind):
    return [h.title for g in groups if g.type == kind for h in g.hits]


def test_groups_come_in_the_fixed_order(crm, owner):
    groups = search_global(user=owner, text="iva")
    assert [g.type for g in groups] == ["contacts", "companies", "deals", "tasks", "notes"]


def test_a_prefix_finds_every_type(crm, owner):
    # when
    groups = search_global(user=owner, text="iva")
    # then
    # "ivan.g@example.bg": an address is searchable word by word
    assert set(ids(groups, "contacts")) == {crm["ivan"].pk, crm["ivanka"].pk, crm["ivan_bg"].pk}
    assert set(titles(groups, "companies")) == {"Ivanov Trading"}
    assert set(titles(groups, "deals")) == {"Ivanov renewal", "Ivanka upsell"}
    assert set(titles(groups, "tasks")) == {"Call Ivan about the renewal", "Send Ivanka the offer"}
    assert set(ids(groups, "notes")) == {crm["note"].pk, crm["rep_note"].pk}


def test_hits_carry_what_a_result_row_shows(crm, owner):
    groups = search_global(user=owner, text="ivan petrov")
    [hit] = [h for g in groups for h in g.hits]
    assert (hit.type, hit.id, hit.title) == ("contacts", crm["ivan"].pk, "Ivan Petrov")
    assert hit.subtitle == "Buyer · Acme Widgets · ivan@acme.example"
    assert hit.url == f"/contacts/{crm['ivan'].pk}/"
    assert hit.rank > 0
    note = search_global(user=owner, text="morning")[-1].hits[0]
    assert (note.type, note.title, note.url) == ("notes", "Ivan prefers calls in the morning",
                                                 f"/contacts/{crm['ivan'].pk}/")


def test_only_notes_among_timeline_entries(crm, owner):
    assert ids(search_global(user=owner, text="called"), "notes") == []


def test_the_better_match_ranks_first(crm, owner):
    from tenant_apps.contacts.models import Contact

    # given: "Ivan" in the first name, last name and e-mail beats "Ivan" only in the e-mail
    twice = Contact.objects.create(first_name="Ivan", last_name="Ivanov", email="ivan@ivanov.example", owner=owner)
    # when
    hits = search_global(user=owner, text="ivan", per_type=10)[0].hits
    # then
    assert hits[0].id == twice.pk
    assert [h.rank for h in hits] == sorted((h.rank for h in hits), reverse=True)


def test_cyrillic_prefix(crm, owner):
    groups = search_global(user=owner, text="Ива")
    assert set(ids(groups, "contacts")) == {crm["ivan_bg"].pk, crm["maria"].pk}
    assert ids(search_global(user=owner, text="георг"), "contacts") == [crm["ivan_bg"].pk]


def test_every_word_is_required(crm, owner):
    assert ids(search_global(user=owner, text="ivan sofia-nothing"), "contacts") == []
    assert ids(search_global(user=owner, text="ivanka shop"), "contacts") == [crm["ivanka"].pk]


def test_per_type_and_has_more(crm, owner):
    groups = search_global(user=owner, text="iva", per_type=1)
    contacts = groups[0]
    assert len(contacts.hits) == 1 and contacts.has_more
    rest = search_global(user=owner, text="iva", per_type=10, types=["contacts"], offset=1)
    assert [g.type for g in rest] == ["contacts"]
    assert contacts.hits[0].id not in ids(rest, "contacts")
    assert not rest[0].has_more


def test_restricted_sales_rep_sees_only_their_own(crm, restricted, sales_rep):
    groups = search_global(user=sales_rep, text="iva")
    assert set(ids(groups, "contacts")) == {crm["ivanka"].pk}
    assert titles(groups, "companies") == ["Ivanov Trading"]
    assert titles(groups, "deals") == ["Ivanka upsell"]
    assert titles(groups, "tasks") == ["Send Ivanka the offer"]
    assert ids(groups, "notes") == [crm["rep_note"].pk]


def test_unrestricted_sales_rep_sees_everything(crm, sales_rep):
    assert crm["ivan"].pk in ids(search_global(user=sales_rep, text="ivan"), "contacts")


@pytest.mark.parametrize("persona", ["read_only", "support"])
def test_read_only_and_support_see_what_the_lists_show(crm, restricted, persona, request):
    user = request.getfixturevalue(persona)
    groups = search_global(user=user, text="iva")
    assert [g.type for g in groups] == [t.key for t in SEARCH_TYPES]
    assert crm["ivan"].pk in ids(groups, "contacts") and crm["ivanka"].pk in ids(groups, "contacts")
    assert set(ids(groups, "notes")) == {crm["note"].pk, crm["rep_note"].pk}


def test_someone_without_a_membership_gets_nothing(crm, outsider):
    assert search_global(user=outsider, text="ivan") == []


def test_the_other_workspace_never_appears(crm, owner):
    emails = [h.subtitle for g in search_global(user=owner, text="ivan", per_type=20) for h in g.hits]
    assert not any("globex" in e for e in emails)


@pytest.mark.parametrize("text", ["", "   ", "a", "!!", "@@ --", "'", "a" * 201, "*:&|!()"])
def test_bad_queries_get_a_reason_and_no_results(crm, owner, text):
    assert search_problem(text)
    assert search_global(user=owner, text=text) == []


def test_quotes_and_operators_are_just_text(crm, owner):
    assert search_global(user=owner, text="ivan' & !(") is not None
    assert search_problem("o'brien") is None


def _selects(**kwargs):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        search_global(**kwargs)
    return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SET ")]


def test_one_query_for_all_types_then_one_per_type_with_hits(crm, owner):
    search_global(user=owner, text="iva")  # the membership, region and pg_trgm check are cached
    # when: every type has hits
    selects = _selects(user=owner, text="iva", per_type=20)
    # then: the ranked ids of all types in one query, bounded per type, then the rows per type
    ranked, *rows = selects
    assert ranked.count("UNION ALL") == len(SEARCH_TYPES) - 1
    assert ranked.count(" LIMIT 21") == len(SEARCH_TYPES) and "COUNT(" not in ranked
    assert len(rows) == len(SEARCH_TYPES)
    assert not any("JOIN" in sql for sql in ranked.split("UNION ALL"))  # joins only for the hits' rows
    assert all(" IN (" in sql and "LIMIT" not in sql and "ORDER BY" not in sql for sql in rows)


def test_types_without_hits_cost_no_query(crm, owner):
    search_global(user=owner, text="iva")
    trigram_forget()
    assert not trigram_available()  # asked once, so no look for similar names below
    # "morning" is only in a note
    assert len(_selects(user=owner, text="morning")) == 2
    assert len(_selects(user=owner, text="iva", types=["contacts"])) == 2


def test_suggestions_rank_fewer_candidates(crm, owner):
    from tenant_apps.contacts.models import Contact

    search_global(user=owner, text="iva")
    # given: more matches than candidates
    Contact.objects.bulk_create([Contact(first_name=f"Ivo{i}", owner=owner) for i in range(12)])
    # when
    [contacts] = search_global(user=owner, text="ivo", per_type=4, types=["contacts"], candidates=8)
    [ranked, _rows] = _selects(user=owner, text="ivo", per_type=4, types=["contacts"], candidates=8)
    # then: the best of 8 candidates, and still "more"
    assert len(contacts.hits) == 4 and contacts.has_more
    assert " LIMIT 8" in ranked and " LIMIT 5" in ranked
    # never fewer candidates than the hits asked for
    assert len(search_global(user=owner, text="ivo", per_type=10, types=["contacts"], candidates=3)[0].hits) == 10


def _trigram_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s AND indexname LIKE %s",
                       [connection.schema_name, "%trgm%"])
        return {row[0] for row in cursor.fetchall()}


def test_without_pg_trgm_a_typo_finds_nothing(crm, owner):
    trigram_forget()
    assert not trigram_available()
    assert _trigram_indexes() == set()  # the migration made none
    assert ids(search_global(user=owner, text="Petrvo"), "contacts") == []


def test_with_pg_trgm_a_typo_finds_similar_names(crm, owner):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            pytest.skip("pg_trgm is not available on this PostgreSQL")
        # Transactional: rolled back with the test.
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    trigram_forget()
    migration = importlib.import_module("tenant_apps.search.migrations.0001_trigram_indexes")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # CREATE INDEX wants no pending FK checks
    with connection.schema_editor() as editor:
        migration.trigram_indexes_create(None, editor)
    assert _trigram_indexes() == {name for name, _table, _column in migration.INDEXES}
    try:
        assert trigram_available()
        # when: full-text finds nothing for the typo
        groups = search_global(user=owner, text="Petrvo")
        # then: the similar name does
        assert ids(groups, "contacts") == [crm["ivan"].pk]
        assert titles(search_global(user=owner, text="Ivanov Tradng"), "companies") == ["Ivanov Trading"]
        # a search that finds enough does not look further
        assert "Ivanka" not in titles(search_global(user=owner, text="ivan petrov"), "contacts")
    finally:
        trigram_forget()


def test_search_indexes_have_a_small_pending_list(crm):
    # a search reads at most 256 kB of unmerged entries (migrations *_search_index_small_pending_list)
    names = ["contact_search_idx", "company_search_idx", "deal_search_idx", "task_search_idx", "activity_search_idx"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.reloptions FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relname = ANY(%s)", [connection.schema_name, names])
        options = dict(cursor.fetchall())
    assert options == {name: ["gin_pending_list_limit=256"] for name in names}
