"""Writing deals and pipelines: create, move on the board, win, lose, reopen."""

from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts.rules import can
from tenant_apps.activities.services import timeline_event
from tenant_apps.records.errors import RecordPermissionError, RecordValidationError
from tenant_apps.records.history import history_context
from tenant_apps.records.models import Entity
from tenant_apps.records.services import apply_fields, tags_from
from tenant_apps.records.tags import tags_for_names

from .models import Deal, DealStageChange, DealStatus, Pipeline, Stage

PLAIN_FIELDS = ("title", "amount", "currency", "expected_close_date", "description")
POSITION_STEP = 1024.0
MIN_GAP = 1e-6


# --- pipelines ------------------------------------------------------------------------


def pipeline_default() -> Pipeline:
    return Pipeline.objects.filter(is_default=True).first() or Pipeline.objects.order_by("position", "pk").first()


def pipeline_create(*, actor, name: str, stages: list[tuple[str, int]], is_default: bool = False) -> Pipeline:
    """A pipeline with its open stages (name, win probability) in order, plus Won and Lost."""
    if not can(actor, "deals.manage_pipelines"):
        raise RecordPermissionError()
    name = (name or "").strip()
    if not name:
        raise RecordValidationError({"name": _("Enter the pipeline's name.")})
    if not stages:
        raise RecordValidationError({"stages": _("Add at least one stage.")})
    for stage_name, probability in stages:
        if not (stage_name or "").strip() or not (0 <= int(probability) <= 100):
            raise RecordValidationError({"stages": _("Each stage needs a name and a probability from 0 to 100.")})
    with transaction.atomic():
        if is_default or not Pipeline.objects.exists():
            Pipeline.objects.filter(is_default=True).update(is_default=False)
            is_default = True
        position = (Pipeline.objects.aggregate(m=Max("position"))["m"] or 0) + 1
        pipeline = Pipeline.objects.create(name=name, is_default=is_default, position=position)
        pipeline_stages_seed(pipeline, stages)
    return pipeline


def pipeline_stages_seed(pipeline: Pipeline, stages) -> None:
    """Create a new pipeline's open stages (name, probability) in order, then Won and Lost."""
    rows = [Stage(pipeline=pipeline, name=n.strip(), probability=int(p), position=i) for i, (n, p) in enumerate(stages)]
    rows.append(Stage(pipeline=pipeline, name=_("Won"), probability=100, position=len(rows), kind=Stage.Kind.WON))
    rows.append(Stage(pipeline=pipeline, name=_("Lost"), probability=0, position=len(rows) + 1, kind=Stage.Kind.LOST))
    Stage.objects.bulk_create(rows)


def _stage_values(name, probability) -> tuple[str, int]:
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Enter the stage's name.")
    try:
        probability = int(probability)
        if not 0 <= probability <= 100:
            raise ValueError
    except (TypeError, ValueError):
        errors["probability"] = _("Enter a probability from 0 to 100.")
    if errors:
        raise RecordValidationError(errors)
    return name.strip(), probability


def stage_update(*, stage: Stage, actor, name: str, probability: int) -> Stage:
    if not can(actor, "deals.manage_pipelines"):
        raise RecordPermissionError()
    stage.name, stage.probability = _stage_values(name, probability)
    stage.save(update_fields=["name", "probability", "updated_at"])
    return stage


def stage_add(*, pipeline: Pipeline, actor, name: str, probability: int) -> Stage:
    """A new open stage after the last open one (before Won and Lost)."""
    if not can(actor, "deals.manage_pipelines"):
        raise RecordPermissionError()
    name, probability = _stage_values(name, probability)
    with transaction.atomic():
        last_open = pipeline.stages.filter(kind=Stage.Kind.OPEN).aggregate(m=Max("position"))["m"]
        position = 0 if last_open is None else last_open + 1
        pipeline.stages.filter(position__gte=position).update(position=F("position") + 1)
        return Stage.objects.create(pipeline=pipeline, name=name, probability=probability, position=position)


def stages_reorder(*, pipeline: Pipeline, actor, stage_ids: list[int]) -> None:
    """Put the open stages in the given order (Won and Lost stay last)."""
    if not can(actor, "deals.manage_pipelines"):
        raise RecordPermissionError()
    open_ids = list(pipeline.stages.filter(kind=Stage.Kind.OPEN).values_list("pk", flat=True))
    try:
        stage_ids = [int(i) for i in stage_ids]
    except (TypeError, ValueError):
        stage_ids = []
    if sorted(open_ids) != sorted(stage_ids):
        raise RecordValidationError({"stages": _("The list of stages is out of date; reload the page.")})
    with transaction.atomic():
        for position, stage_id in enumerate(stage_ids):
            Stage.objects.filter(pk=stage_id).update(position=position)
        Stage.objects.filter(pipeline=pipeline, kind=Stage.Kind.WON).update(position=len(stage_ids))
        Stage.objects.filter(pipeline=pipeline, kind=Stage.Kind.LOST).update(position=len(stage_ids) + 1)


def stage_delete(*, stage: Stage, actor, move_to: Stage | None = None) -> None:
    """Delete an open stage; its deals move to the end of `move_to` first, and the move
    is kept in their stage history."""
    if not can(actor, "deals.manage_pipelines"):
        raise RecordPermissionError()
    if stage.kind != Stage.Kind.OPEN:
        raise RecordValidationError({"stage": _("Won and Lost cannot be deleted.")})
    with transaction.atomic():
        Pipeline.objects.select_for_update().get(pk=stage.pipeline_id)
        if stage.pipeline.stages.filter(kind=Stage.Kind.OPEN).count() == 1:
            raise RecordValidationError({"stage": _("A pipeline needs at least one open stage.")})
        deals = list(stage.deals.values_list("pk", "stage_entered_at"))
        if deals:
            if (move_to is None or move_to.pipeline_id != stage.pipeline_id or move_to.pk == stage.pk
                    or move_to.kind != Stage.Kind.OPEN):
                raise RecordValidationError({"move_to": _("Choose where this stage's deals go.")})
            now = timezone.now()
            DealStageChange.objects.bulk_create(
                DealStageChange(
                    deal_id=pk, from_stage=stage, to_stage=move_to, changed_by=actor,
                    seconds_in_previous=int((now - entered).total_seconds()) if entered else None,
                )
                for pk, entered in deals
            )
            end = _column_end(move_to)
            with history_context(actor, "ui"):
                stage.deals.update(
                    stage=move_to, stage_entered_at=now,
                    position=F("position") + end,
                )
        stage.delete()


def pipeline_update(*, pipeline: Pipeline, actor, name: str, is_default: bool) -> Pipeline:
    if not can(actor, "deals.manage_pipelines"):
        raise RecordPermissionError()
    name = (name or "").strip()
    if not name:
        raise RecordValidationError({"name": _("Enter the pipeline's name.")})
    with transaction.atomic():
        if is_default and not pipeline.is_default:
            Pipeline.objects.filter(is_default=True).update(is_default=False)
            pipeline.is_default = True
        pipeline.name = name[:100]
        pipeline.save(update_fields=["name", "is_default", "updated_at"])
    return pipeline


def pipeline_delete(*, pipeline: Pipeline, actor) -> None:
    """Delete a pipeline that holds no deals and is not the only one; if it was the
    default, the first remaining pipeline becomes the default."""
    if not can(actor, "deals.manage_pipelines"):
        raise RecordPermissionError()
    with transaction.atomic():
        if Pipeline.objects.count() == 1:
            raise RecordValidationError({"pipeline": _("The workspace needs at least one pipeline.")})
        if pipeline.deals.exists():
            raise RecordValidationError(
                {"pipeline": _("This pipeline still has deals. Move or delete them first.")}
            )
        was_default = pipeline.is_default
        pipeline.delete()
        if was_default:
            Pipeline.objects.filter(pk=Pipeline.objects.order_by("position", "pk").values("pk")[:1]).update(is_default=True)


# --- deals ------------------------------------------------------------------------------


def _resolve(model, value, actor, perm, errors, field):
    if value in (None, ""):
        return None
    record = value if isinstance(value, model) else model.objects.filter(pk=_int(value)).first()
    if record is None or not can(actor, perm, record):
        errors[field] = _("Choose a record you can see.")
        return None
    return record


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _column_end(stage: Stage) -> float:
    last = Deal.objects.filter(stage=stage, status=DealStatus.OPEN).aggregate(m=Max("position"))["m"]
    return (last or 0) + POSITION_STEP


def _prepare(deal: Deal, data: dict, actor):
    from tenant_apps.companies.models import Company
    from tenant_apps.contacts.models import Contact

    errors: dict = {}
    apply_fields(deal, data, plain_fields=PLAIN_FIELDS, entity=Entity.DEAL, errors=errors, set_later=("pipeline", "stage"))
    if "amount" not in errors and deal.amount is not None and deal.amount < Decimal("0"):
        errors["amount"] = _("The amount cannot be negative.")
    if "currency" in data:
        deal.currency = str(data["currency"] or "").strip().upper()
        if len(deal.currency) != 3 or not deal.currency.isalpha():
            errors["currency"] = _("Use a three-letter currency code such as EUR.")
    if "company" in data:
        deal.company = _resolve(Company, data["company"], actor, "companies.view_company", errors, "company")
    contacts = None
    if "contacts" in data:
        contacts = []
        for value in data["contacts"] or []:
            contact = _resolve(Contact, value, actor, "contacts.view_contact", errors, "contacts")
            if contact is not None:
                contacts.append(contact)
    if not (deal.title or "").strip():
        errors.setdefault("title", _("Enter the deal's title."))
    return errors, contacts, tags_from(data)


def deal_create(*, actor, data: dict, door: str = "ui") -> Deal:
    """A new open deal at the end of its stage's column. `data`: title, amount, currency,
    expected_close_date, description, pipeline / stage (Stage or id; default: the first
    open stage of the default pipeline), company, contacts, owner, tags, custom."""
    from tenant_apps.workspace.selectors import workspace_profile

    if not can(actor, "deals.add_deal"):
        raise RecordPermissionError()
    deal = Deal(owner=actor, created_by=actor, currency=workspace_profile().default_currency or "EUR")
    errors, contacts, tag_names = _prepare(deal, data, actor)
    stage = _stage_from(data, errors)
    if stage is not None and stage.kind != Stage.Kind.OPEN:
        errors["stage"] = _("A new deal starts in an open stage.")
    if errors:
        raise RecordValidationError(errors)
    now = timezone.now()
    with transaction.atomic(), history_context(actor, door):
        deal.pipeline, deal.stage, deal.status, deal.stage_entered_at = stage.pipeline, stage, DealStatus.OPEN, now
        deal.position = _column_end(stage)
        deal.save()
        if contacts is not None:
            deal.contacts.set(contacts)
        if tag_names is not None:
            deal.tags.set(tags_for_names(tag_names))
        DealStageChange.objects.create(deal=deal, from_stage=None, to_stage=stage, changed_by=actor)
        timeline_event(event="created", actor=actor, deal=deal, data={"door": door, "stage": stage.name})
    return deal


def _stage_from(data, errors) -> Stage | None:
    stage = data.get("stage")
    if stage not in (None, ""):
        stage = stage if isinstance(stage, Stage) else Stage.objects.select_related("pipeline").filter(pk=_int(stage)).first()
        if stage is None:
            errors["stage"] = _("Choose a stage.")
        return stage
    pipeline = data.get("pipeline")
    if pipeline not in (None, ""):
        pipeline = pipeline if isinstance(pipeline, Pipeline) else Pipeline.objects.filter(pk=_int(pipeline)).first()
    else:
        pipeline = pipeline_default()
    if pipeline is None:
        errors["pipeline"] = _("Choose a pipeline.")
        return None
    stage = pipeline.stages.filter(kind=Stage.Kind.OPEN).order_by("position", "pk").first()
    if stage is None:
        errors["stage"] = _("This pipeline has no open stage.")
    return stage


def deal_update(*, deal: Deal, actor, data: dict, door: str = "ui") -> Deal:
    """Change the keys present in `data`; a new stage goes through deal_move."""
    if not can(actor, "deals.change_deal", deal):
        raise RecordPermissionError()
    errors, contacts, tag_names = _prepare(deal, data, actor)
    stage = None
    if "stage" in data:
        stage = _stage_from({"stage": data["stage"]}, errors)
    if errors:
        raise RecordValidationError(errors)
    with transaction.atomic(), history_context(actor, door):
        deal.save()
        if contacts is not None:
            deal.contacts.set(contacts)
        if tag_names is not None:
            deal.tags.set(tags_for_names(tag_names))
        if stage is not None and stage.pk != deal.stage_id:
            deal_move(deal=deal, stage=stage, actor=actor, lost_reason=data.get("lost_reason", ""), door=door)
    return deal


def _position_between(stage: Stage, before_id, after_id, moving_id) -> float:
    column = Deal.objects.filter(stage=stage, status=DealStatus.OPEN).exclude(pk=moving_id)
    before = column.filter(pk=_int(before_id)).values_list("position", flat=True).first() if before_id else None
    after = column.filter(pk=_int(after_id)).values_list("position", flat=True).first() if after_id else None
    if before is None and after is None:
        return _column_end(stage)
    if before is None:
        return after - POSITION_STEP
    if after is None:
        return before + POSITION_STEP
    if after - before > MIN_GAP:
        return (before + after) / 2
    # Out of room between the two: spread the column out again, then retry once.
    for index, pk in enumerate(column.order_by("position", "pk").values_list("pk", flat=True)):
        Deal.objects.filter(pk=pk).update(position=(index + 1) * POSITION_STEP)
    return _position_between(stage, before_id, after_id, moving_id)


def deal_move(*, deal: Deal, stage: Stage, actor, before_id=None, after_id=None, lost_reason: str = "",
              door: str = "ui") -> Deal:
    """Move a deal to `stage` (and between the deals `before_id` and `after_id` of that
    column on the board). A Won or Lost stage closes it; Lost needs a reason."""
    if not can(actor, "deals.change_deal", deal):
        raise RecordPermissionError()
    if stage.pipeline_id != deal.pipeline_id and stage.pipeline_id is not None:
        pipeline_change = True
    else:
        pipeline_change = False
    lost_reason = (lost_reason or "").strip()[:200]
    if stage.kind == Stage.Kind.LOST and not lost_reason:
        raise RecordValidationError({"lost_reason": _("Say why the deal was lost.")})
    now = timezone.now()
    with transaction.atomic(), history_context(actor, door):
        deal = Deal.objects.select_for_update().get(pk=deal.pk)
        previous = deal.stage
        same_stage = previous.pk == stage.pk
        if stage.kind == Stage.Kind.OPEN:
            deal.position = _position_between(stage, before_id, after_id, deal.pk)
        if not same_stage:
            seconds = int((now - deal.stage_entered_at).total_seconds()) if deal.stage_entered_at else None
            DealStageChange.objects.create(
                deal=deal, from_stage=previous, to_stage=stage, changed_by=actor, seconds_in_previous=seconds
            )
            deal.stage, deal.stage_entered_at = stage, now
            if pipeline_change:
                deal.pipeline = stage.pipeline
            was_closed = deal.status != DealStatus.OPEN
            deal.status = stage.kind
            deal.closed_at = now if stage.kind != Stage.Kind.OPEN else None
            deal.lost_reason = lost_reason if stage.kind == Stage.Kind.LOST else ""
            if stage.kind == Stage.Kind.WON:
                event, data = "won", {"amount": str(deal.amount or ""), "currency": deal.currency}
            elif stage.kind == Stage.Kind.LOST:
                event, data = "lost", {"reason": lost_reason}
            elif was_closed:
                event, data = "reopened", {"stage": stage.name}
            else:
                event, data = "stage_changed", {"from": previous.name, "to": stage.name}
            timeline_event(event=event, actor=actor, deal=deal, data=data)
        deal.save()
    return deal


def deal_mark_won(*, deal: Deal, actor) -> Deal:
    return deal_move(deal=deal, stage=deal.pipeline.stages.get(kind=Stage.Kind.WON), actor=actor)


def deal_mark_lost(*, deal: Deal, actor, reason: str) -> Deal:
    return deal_move(deal=deal, stage=deal.pipeline.stages.get(kind=Stage.Kind.LOST), actor=actor, lost_reason=reason)


def deal_reopen(*, deal: Deal, actor) -> Deal:
    """Back to the open stage it was closed from (or the pipeline's first). An open deal
    stays where it is: a second click or a stale page must not move it back a stage."""
    if deal.stage.kind == Stage.Kind.OPEN:
        return deal
    last_open = (
        DealStageChange.objects.filter(deal=deal, from_stage__kind=Stage.Kind.OPEN, from_stage__pipeline=deal.pipeline)
        .order_by("-changed_at", "-pk").values_list("from_stage", flat=True).first()
    )
    stage = Stage.objects.filter(pk=last_open).first() or deal.pipeline.stages.filter(kind=Stage.Kind.OPEN).first()
    return deal_move(deal=deal, stage=stage, actor=actor)


def deal_delete(*, deal: Deal, actor, door: str = "ui") -> None:
    if not can(actor, "deals.delete_deal", deal):
        raise RecordPermissionError()
    with transaction.atomic(), history_context(actor, door):
        deal.delete()
