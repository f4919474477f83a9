"""Deals: the default pipeline, moving on the board, winning, losing, stage history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tenant_apps.activities.models import Activity
from tenant_apps.deals.models import Deal, DealStageChange, Pipeline, Stage
from tenant_apps.deals.selectors import deal_board, deal_board_slice, deal_stage_durations
from tenant_apps.deals.services import (
    deal_create, deal_mark_lost, deal_mark_won, deal_move, deal_reopen, deal_update, pipeline_create,
    stage_add, stage_delete, stages_reorder,
)
from tenant_apps.records.errors import RecordPermissionError, RecordValidationError

pytestmark = pytest.mark.django_db


def open_stages():
    return list(Pipeline.objects.get(is_default=True).stages.filter(kind="open").order_by("position"))


def make(actor, **data):
    return deal_create(actor=actor, data={"title": "Website redesign", "amount": "12000.50", **data})


def test_every_workspace_starts_with_a_pipeline(in_acme):
    pipeline = Pipeline.objects.get(is_default=True)
    kinds = list(pipeline.stages.order_by("position").values_list("kind", flat=True))
    assert kinds == ["open"] * 5 + ["won", "lost"]
    assert pipeline.stages.get(kind="won").probability == 100


class TestCreateAndEdit:
    def test_defaults(self, in_acme, sales_rep):
        deal = make(sales_rep)
        first = open_stages()[0]
        assert (deal.stage, deal.status, deal.owner, deal.currency) == (first, "open", sales_rep, "EUR")
        assert deal.amount == Decimal("12000.50")
        assert DealStageChange.objects.filter(deal=deal, from_stage=None, to_stage=first).exists()

    @pytest.mark.parametrize("data, field", [
        ({"title": ""}, "title"), ({"amount": "-5"}, "amount"), ({"amount": "lots"}, "amount"),
        ({"currency": "EURO"}, "currency"), ({"expected_close_date": "31/31/2026"}, "expected_close_date"),
        ({"stage": 99999}, "stage"),
    ])
    def test_bad_input(self, in_acme, owner, data, field):
        with pytest.raises(RecordValidationError) as error:
            make(owner, **data)
        assert field in error.value.errors
        assert not Deal.objects.exists()

    def test_cannot_start_won(self, in_acme, owner):
        won = Pipeline.objects.get(is_default=True).stages.get(kind="won")
        with pytest.raises(RecordValidationError):
            make(owner, stage=won.pk)

    def test_support_and_read_only_cannot_write_deals(self, in_acme, read_only, sales_rep):
        with pytest.raises(RecordPermissionError):
            make(read_only)
        deal = make(sales_rep)
        with pytest.raises(RecordPermissionError):
            deal_update(deal=deal, actor=read_only, data={"title": "x"})


class TestBoard:
    def test_order_within_a_column_is_kept(self, in_acme, owner):
        first, second = open_stages()[:2]
        a, b, c = make(owner, title="A"), make(owner, title="B"), make(owner, title="C")
        deal_move(deal=c, stage=first, actor=owner, before_id=a.pk, after_id=b.pk)
        board = deal_board(user=owner, pipeline=first.pipeline)
        assert [d.title for d in board[0].deals] == ["A", "C", "B"]
        deal_move(deal=a, stage=second, actor=owner)
        board = deal_board(user=owner, pipeline=first.pipeline)
        assert [d.title for d in board[0].deals] == ["C", "B"] and [d.title for d in board[1].deals] == ["A"]
        assert Activity.objects.filter(deal=a, event="stage_changed").exists()

    def test_many_moves_into_the_same_gap_still_keep_order(self, in_acme, owner):
        stage = open_stages()[0]
        a, b = make(owner, title="A"), make(owner, title="B")
        moved = []
        for i in range(60):  # halves the gap each time until it is respread
            deal = make(owner, title=f"M{i}")
            deal_move(deal=deal, stage=stage, actor=owner, before_id=a.pk, after_id=(moved[-1].pk if moved else b.pk))
            moved.append(deal)
        titles = [d.title for d in Deal.objects.filter(stage=stage).order_by("position", "pk")]
        assert titles[0] == "A" and titles[-1] == "B"
        assert titles[1:-1] == [f"M{i}" for i in reversed(range(60))][: len(titles) - 2]

    def test_totals_per_column_and_currency(self, in_acme, owner):
        first = open_stages()[0]
        make(owner, amount="100")
        make(owner, amount="50.50")
        make(owner, amount="10", currency="BGN")
        column = deal_board(user=owner, pipeline=first.pipeline)[0]
        assert column.count == 3
        assert column.totals == {"EUR": Decimal("150.50"), "BGN": Decimal("10")}

    def test_board_queries_do_not_grow_with_deals(self, in_acme, owner, django_assert_max_num_queries):
        pipeline = Pipeline.objects.get(is_default=True)
        for i in range(5):
            make(owner, title=f"D{i}")
        with django_assert_max_num_queries(8) as counted:
            deal_board(user=owner, pipeline=pipeline)
        small = len(counted.captured_queries)
        for i in range(40):
            make(owner, title=f"E{i}", stage=open_stages()[i % 5].pk)
        with django_assert_max_num_queries(small):
            columns = deal_board(user=owner, pipeline=pipeline, column_size=3)
        assert all(len(c.deals) <= 3 for c in columns) and sum(c.count for c in columns) == 45
        assert any(c.has_more for c in columns)

    def test_board_reads_each_column_from_its_index(self, in_acme, owner, sales_rep):
        # given two columns of three deals, one of them someone else's
        stages = open_stages()
        for i in range(6):
            make(sales_rep if i == 4 else owner, title=f"D{i}", stage=stages[i % 2].pk)

        # when the second and third cards of each column are read, as the board's "show more" does
        with CaptureQueriesContext(connection) as queries:
            deals = deal_board_slice(user=owner, stages=stages[:2], column_size=2, offset=1)

        # then one query reads a LIMITed slice per column (no window over every open deal)
        reads = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET search_path")]
        assert len(reads) == 1 and "ROW_NUMBER" not in reads[0] and reads[0].count("LIMIT 2 OFFSET 1") == 2
        assert [d.title for d in deals] == ["D2", "D4", "D3", "D5"]

    def test_board_slice_keeps_to_what_a_restricted_rep_sees(self, restricted, owner, sales_rep):
        stages = open_stages()
        for i in range(4):
            make(sales_rep if i % 2 else owner, title=f"D{i}", stage=stages[0].pk)
        deals = deal_board_slice(user=sales_rep, stages=stages[:1])
        assert [d.title for d in deals] == ["D1", "D3"]


class TestClosing:
    def test_won_lost_reopen(self, in_acme, owner):
        deal = make(owner)
        deal = deal_mark_won(deal=deal, actor=owner)
        assert deal.status == "won" and deal.closed_at is not None
        deal = deal_reopen(deal=deal, actor=owner)
        assert deal.status == "open" and deal.stage == open_stages()[0] and deal.closed_at is None
        with pytest.raises(RecordValidationError) as error:
            deal_mark_lost(deal=deal, actor=owner, reason="  ")
        assert "lost_reason" in error.value.errors
        deal = deal_mark_lost(deal=deal, actor=owner, reason="Went with a competitor")
        assert (deal.status, deal.lost_reason) == ("lost", "Went with a competitor")
        events = list(Activity.objects.filter(deal=deal, kind="system").order_by("pk").values_list("event", flat=True))
        assert events == ["created", "won", "reopened", "lost"]

    def test_reopening_an_open_deal_leaves_it_where_it_is(self, in_acme, owner):
        # given: a deal moved on to the second stage, then reopened again by a stale page
        first, second = open_stages()[:2]
        deal = deal_move(deal=make(owner), stage=second, actor=owner)
        # when
        deal = deal_reopen(deal=deal, actor=owner)
        # then
        deal.refresh_from_db()
        assert deal.stage == second
        assert not Activity.objects.filter(deal=deal, event="reopened").exists()

    def test_time_spent_per_stage(self, in_acme, owner):
        first, second = open_stages()[:2]
        deal = make(owner)
        DealStageChange.objects.filter(deal=deal).update(changed_at=timezone.now() - timedelta(days=3))
        Deal.objects.filter(pk=deal.pk).update(stage_entered_at=timezone.now() - timedelta(days=3))
        deal_move(deal=deal, stage=second, actor=owner)
        change = DealStageChange.objects.filter(deal=deal, to_stage=second).get()
        assert 3 * 86400 - 60 < change.seconds_in_previous < 3 * 86400 + 60
        durations = deal_stage_durations(deal=deal)
        assert [d["stage"] for d in durations] == [first, second]
        assert durations[0]["seconds"] >= 3 * 86400 - 60 and durations[1]["current"]


class TestPipelines:
    def test_create_reorder_add_delete(self, in_acme, owner):
        pipeline = pipeline_create(actor=owner, name="Partners", stages=[("Intro", 10), ("Contract", 70)])
        intro, contract = pipeline.stages.filter(kind="open").order_by("position")
        stages_reorder(pipeline=pipeline, actor=owner, stage_ids=[contract.pk, intro.pk])
        assert list(pipeline.stages.order_by("position").values_list("name", flat=True)) == ["Contract", "Intro", "Won", "Lost"]
        added = stage_add(pipeline=pipeline, actor=owner, name="Pilot", probability=50)
        assert list(pipeline.stages.order_by("position").values_list("name", flat=True)) == ["Contract", "Intro", "Pilot", "Won", "Lost"]
        deal = make(owner, stage=added.pk)
        with pytest.raises(RecordValidationError):
            stage_delete(stage=added, actor=owner)
        stage_delete(stage=added, actor=owner, move_to=intro)
        deal.refresh_from_db()
        assert deal.stage == intro
        with pytest.raises(RecordValidationError):
            stage_delete(stage=pipeline.stages.get(kind="won"), actor=owner)

    def test_bad_pipeline_input(self, in_acme, owner, sales_rep):
        with pytest.raises(RecordValidationError):
            pipeline_create(actor=owner, name="", stages=[("A", 10)])
        with pytest.raises(RecordValidationError):
            pipeline_create(actor=owner, name="X", stages=[("A", 150)])
        with pytest.raises(RecordPermissionError):
            pipeline_create(actor=sales_rep, name="X", stages=[("A", 10)])
        assert Stage.objects.filter(name="A").count() == 0
