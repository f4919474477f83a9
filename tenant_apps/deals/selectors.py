"""Reading deals: one deal's page, the pipeline board, time spent per stage."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from tenant_apps.records.errors import RecordNotFound
from tenant_apps.records.visibility import visible

from .models import Deal, DealStageChange, DealStatus, Pipeline, Stage

BOARD_COLUMN_SIZE = 50
# What a board card shows (deals/_cards.html): only these are read; for 250 cards the
# other columns (timestamps, JSON, search vectors) cost more to load than the rows.
CARD_FIELDS = (
    "id", "title", "amount", "currency", "expected_close_date", "pipeline_id", "stage_id", "position", "status",
    "owner_id", "company_id", "company__id", "company__name", "owner__id", "owner__full_name", "owner__email",
)


def deal_get(*, user, pk) -> Deal:
    deal = (
        visible(Deal.objects.all(), user)
        .select_related("pipeline", "stage", "company", "owner", "created_by")
        .prefetch_related("contacts", "tags")
        .filter(pk=pk)
        .first()
    )
    if deal is None:
        raise RecordNotFound()
    return deal


def pipelines_with_stages():
    return Pipeline.objects.prefetch_related("stages").order_by("position", "pk")


@dataclass
class BoardColumn:
    stage: Stage
    deals: list
    count: int = 0
    totals: dict = field(default_factory=dict)  # currency -> Decimal
    weighted: dict = field(default_factory=dict)

    @property
    def has_more(self) -> bool:
        return self.count > len(self.deals)


def deal_board_summaries(*, user, pipeline: Pipeline, conditions=None, base=None) -> list[BoardColumn]:
    """The open stages of `pipeline` with the count and totals (per currency) of the
    open deals `user` sees in each, without the deals. One query for the stages, one
    for the sums (none for the stages when they were prefetched, ordered by position)."""
    stages = sorted((s for s in pipeline.stages.all() if s.kind == Stage.Kind.OPEN), key=lambda s: (s.position, s.pk))
    if base is None:
        base = visible(Deal.objects.filter(pipeline=pipeline, status=DealStatus.OPEN), user)
        if conditions is not None:
            base = base.filter(conditions)
    columns = {stage.pk: BoardColumn(stage=stage, deals=[]) for stage in stages}
    for row in base.values("stage_id", "currency").annotate(n=Count("pk"), total=Sum("amount")):
        column = columns.get(row["stage_id"])
        if column is None:
            continue
        column.count += row["n"]
        amount = row["total"] or Decimal("0")
        column.totals[row["currency"]] = column.totals.get(row["currency"], Decimal("0")) + amount
        weight = Decimal(column.stage.probability) / 100
        column.weighted[row["currency"]] = column.weighted.get(row["currency"], Decimal("0")) + amount * weight
    return [columns[stage.pk] for stage in stages]


def deal_board(*, user, pipeline: Pipeline, conditions=None, column_size=BOARD_COLUMN_SIZE) -> list[BoardColumn]:
    """The open stages of `pipeline`, each with its first `column_size` open deals in
    board order and the count and totals (per currency) of all of them. A constant
    number of queries however many deals there are."""
    base = visible(Deal.objects.filter(pipeline=pipeline, status=DealStatus.OPEN), user)
    if conditions is not None:
        base = base.filter(conditions)
    columns = deal_board_summaries(user=user, pipeline=pipeline, base=base)
    by_stage = {column.stage.pk: column for column in columns}
    for deal in deal_board_slice(user=user, stages=[c.stage for c in columns], base=base, column_size=column_size):
        by_stage[deal.stage_id].deals.append(deal)
    return columns


def deal_board_slice(*, user, stages, base=None, column_size=BOARD_COLUMN_SIZE, offset=0):
    """The first deals of each column, in one query: per stage a LIMITed read of the
    board index (deal_board_idx), glued with UNION ALL. (A window over all the open
    deals of the pipeline reads every one of them; with thousands that is the slow part
    of the board.) Only the columns the card shows are read (CARD_FIELDS)."""
    base = base if base is not None else visible(Deal.objects.filter(status=DealStatus.OPEN), user)
    columns = [
        base.filter(stage=stage).order_by("position", "pk").values("pk")[offset : offset + column_size]
        for stage in stages
    ]
    if not columns:
        return []
    ids = columns[0].union(*columns[1:], all=True) if len(columns) > 1 else columns[0]
    return list(
        Deal.objects.filter(pk__in=ids)
        .select_related("company", "owner")
        .only(*CARD_FIELDS)
        .order_by("stage_id", "position", "pk")
    )


def deal_stage_durations(*, deal: Deal) -> list[dict]:
    """How long the deal stayed in each stage it passed through, in order."""
    changes = list(DealStageChange.objects.filter(deal=deal).select_related("to_stage").order_by("changed_at", "pk"))
    result = []
    for index, change in enumerate(changes):
        left = changes[index + 1].changed_at if index + 1 < len(changes) else None
        end = left or timezone.now()
        result.append(
            {"stage": change.to_stage, "entered": change.changed_at, "left": left,
             "seconds": int((end - change.changed_at).total_seconds()), "current": left is None}
        )
    return result


def pipeline_summary(*, user, pipeline: Pipeline) -> dict:
    """Open value, won this month: for the dashboard."""
    now = timezone.now()
    base = visible(Deal.objects.filter(pipeline=pipeline), user)
    return base.aggregate(
        open_count=Count("pk", filter=Q(status=DealStatus.OPEN)),
        open_value=Sum("amount", filter=Q(status=DealStatus.OPEN)),
        won_month=Sum("amount", filter=Q(status=DealStatus.WON, closed_at__year=now.year, closed_at__month=now.month)),
    )
