"""Deal pages: list, board (drag and drop), page, create, edit, win, lose, reopen."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.decorators import permission_required
from shared_apps.accounts.rules import can
from tenant_apps.records.errors import RecordError, RecordNotFound, RecordValidationError, deny_if_forbidden
from tenant_apps.records.record_views import record_delete_page, record_form_page, record_save
from tenant_apps.records.list_views import list_context, members_of_workspace
from tenant_apps.records.record_pages import record_page_context

from .forms import DealForm, LostForm, QuickDealForm
from .models import Deal, Pipeline, Stage
from .selectors import (
    BOARD_COLUMN_SIZE, deal_board, deal_board_slice, deal_board_summaries, deal_get, deal_stage_durations,
)
from .services import (
    deal_create, deal_delete, deal_mark_lost, deal_mark_won, deal_move, deal_reopen, deal_update, pipeline_default,
)


def _get(request, pk) -> Deal:
    try:
        return deal_get(user=request.user, pk=pk)
    except RecordNotFound as exc:
        raise Http404 from exc


def _pipelines():
    return Pipeline.objects.prefetch_related(Prefetch("stages", queryset=Stage.objects.order_by("position", "pk")))


@permission_required("workspace.view")
def deal_list(request):
    context = list_context(request, "deal")
    context.update(
        title=_("Deals"), new_url=reverse("deal_new"), new_label=_("New deal"), duplicates_url="",
        inline_fields=("owner", "stage", "amount", "expected_close_date"),
        pipelines=_pipelines(), can_add=can(request.user, "deals.add_deal"), board_url=reverse("deal_board"),
    )
    return render(request, "deals/list.html", context)


@permission_required("workspace.view")
def deal_board_view(request):
    pipelines = list(_pipelines())
    # The default as pipeline_default() picks it, from the pipelines already read (with their stages).
    pipeline = (next((p for p in pipelines if str(p.pk) == request.GET.get("pipeline")), None)
                or next((p for p in pipelines if p.is_default), None) or next(iter(pipelines), None))
    if pipeline is None:
        raise Http404
    columns = deal_board(user=request.user, pipeline=pipeline)
    stages = pipeline.stages.all()
    return render(request, "deals/board.html", {
        "pipeline": pipeline, "pipelines": pipelines, "columns": columns,
        "won_stage": next((s for s in stages if s.kind == Stage.Kind.WON), None),
        "lost_stage": next((s for s in stages if s.kind == Stage.Kind.LOST), None),
        "can_move": can(request.user, "deals.add_deal"), "can_add": can(request.user, "deals.add_deal"),
        "column_size": BOARD_COLUMN_SIZE,
    })


@permission_required("workspace.view")
def deal_board_more(request, stage_id):
    """The next cards of one column (HTML fragment for the board's "show more")."""
    stage = get_object_or_404(Stage.objects.select_related("pipeline"), pk=stage_id, kind=Stage.Kind.OPEN)
    try:
        offset = max(0, int(request.GET.get("offset", 0)))
    except ValueError:
        offset = 0
    deals = deal_board_slice(user=request.user, stages=[stage], offset=offset)
    return render(request, "deals/_cards.html", {"deals": deals, "can_move": can(request.user, "deals.add_deal"),
                                                 "next_offset": offset + len(deals), "stage": stage,
                                                 "has_more": len(deals) == BOARD_COLUMN_SIZE})


@permission_required("workspace.view")
@require_POST
def deal_move_view(request, pk):
    """Move to a stage: from the board's drag and drop (fetch: JSON answers) or from the
    stage buttons on a deal's page (a plain form: back to the page with a message)."""
    deal = _writable(request, pk)
    if request.headers.get("X-Requested-With") != "fetch":
        return _move_from_form(request, deal)
    stage = Stage.objects.filter(pk=request.POST.get("stage")).select_related("pipeline").first()
    if stage is None:
        return JsonResponse({"error": {"code": "validation_error", "message": _("Choose a stage.")}}, status=400)
    try:
        deal = deal_move(deal=deal, stage=stage, actor=request.user, before_id=request.POST.get("before") or None,
                         after_id=request.POST.get("after") or None, lost_reason=request.POST.get("lost_reason", ""))
    except RecordValidationError as exc:
        return JsonResponse({"error": {"code": exc.code, "message": " ".join(str(m) for m in exc.errors.values()),
                                       "fields": {k: str(v) for k, v in exc.errors.items()}}}, status=400)
    except RecordError as exc:
        return JsonResponse({"error": {"code": exc.code, "message": str(exc.message)}}, status=403)
    heads = {
        str(column.stage.pk): render_to_string("deals/_column_head.html", {"column": column}, request=request)
        for column in deal_board_summaries(user=request.user, pipeline=deal.pipeline)
    }
    return JsonResponse({"id": deal.pk, "stage": deal.stage_id, "status": deal.status, "columns": heads})


def _move_from_form(request, deal):
    stage = Stage.objects.filter(pk=request.POST.get("stage"), pipeline=deal.pipeline).first()
    if stage is None:
        messages.error(request, _("Choose a stage."))
        return redirect(deal)
    try:
        deal_move(deal=deal, stage=stage, actor=request.user, lost_reason=request.POST.get("lost_reason", ""))
    except RecordValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.errors.values()))
    except RecordError as exc:
        deny_if_forbidden(exc)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Moved to %(stage)s.") % {"stage": stage.name})
    return redirect(deal)


def _save(request, form, deal=None):
    return record_save(request, form, entity="deal", create=deal_create, update=deal_update, record=deal,
                       error_fields={"lost_reason": "stage"})


def _form(request, form, title, deal=None):
    return record_form_page(
        request, form, save=lambda f: _save(request, f, deal), title=title, record=deal,
        cancel_url=deal.get_absolute_url() if deal else reverse("deal_list"), company_lookup=True,
        wide_fields=("description",),
    )


@permission_required("deals.add_deal")
def deal_new(request):
    pipelines = _pipelines()
    initial = {"owner": str(request.user.pk)}
    default = pipeline_default()
    if default is not None:
        first = default.stages.filter(kind=Stage.Kind.OPEN).order_by("position").first()
        initial["stage"] = str(first.pk) if first else ""
    if request.GET.get("stage"):
        initial["stage"] = request.GET["stage"]
    if request.GET.get("company"):
        from tenant_apps.companies.selectors import company_get

        try:
            initial["company_name"] = company_get(user=request.user, pk=int(request.GET["company"])).name
        except (RecordNotFound, ValueError):
            pass
    if request.GET.get("contact", "").isdigit():
        initial["contact_ids"] = request.GET["contact"]
    form = DealForm(request.POST if request.method == "POST" else None, members=members_of_workspace(request.tenant),
                    pipelines=pipelines, creating=True, initial=initial)
    return _form(request, form, _("New deal"))


@permission_required("workspace.view")
def deal_detail(request, pk):
    deal = _get(request, pk)
    context = record_page_context(request, record=deal, entity="deal")
    context.update(
        stages=list(deal.pipeline.stages.order_by("position", "pk")),
        durations=deal_stage_durations(deal=deal),
        lost_form=LostForm(),
    )
    return render(request, "deals/detail.html", context)


@permission_required("workspace.view")
def deal_edit(request, pk):
    deal = _get(request, pk)
    if not can(request.user, "deals.change_deal", deal):
        raise Http404
    form = DealForm(request.POST if request.method == "POST" else None, members=members_of_workspace(request.tenant),
                    pipelines=_pipelines(), initial=DealForm.initial_for(deal))
    return _form(request, form, _("Edit %(name)s") % {"name": deal}, deal)


@permission_required("workspace.view")
@require_POST
def deal_quick_edit(request, pk):
    """The board card's quick edit: title, amount, expected close date."""
    deal = _writable(request, pk)
    form = QuickDealForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["amount"] = (data.get("amount") or "").replace(" ", "").replace(",", ".") or None
        try:
            deal_update(deal=deal, actor=request.user, data=data)
        except RecordValidationError as exc:
            messages.error(request, " ".join(str(m) for m in exc.errors.values()))
        except RecordError as exc:
            deny_if_forbidden(exc)
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, " ".join(" ".join(e) for e in form.errors.values()))
    return redirect(f"{reverse('deal_board')}?pipeline={deal.pipeline_id}")


def _writable(request, pk) -> Deal:
    """A deal the user may change; 403 for one they can only see."""
    deal = _get(request, pk)
    if not can(request.user, "deals.change_deal", deal):
        raise PermissionDenied
    return deal


def _closing(request, pk, action):
    deal = _writable(request, pk)
    try:
        if action == "won":
            deal_mark_won(deal=deal, actor=request.user)
            messages.success(request, _("Marked as won. Well done!"))
        elif action == "lost":
            form = LostForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Say why the deal was lost."))
                return redirect(deal)
            deal_mark_lost(deal=deal, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("Marked as lost."))
        else:
            deal_reopen(deal=deal, actor=request.user)
            messages.success(request, _("Reopened."))
    except RecordValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.errors.values()))
    except RecordError as exc:
        deny_if_forbidden(exc)
        messages.error(request, exc.message)
    return redirect(deal)


@permission_required("workspace.view")
@require_POST
def deal_won(request, pk):
    return _closing(request, pk, "won")


@permission_required("workspace.view")
@require_POST
def deal_lost(request, pk):
    return _closing(request, pk, "lost")


@permission_required("workspace.view")
@require_POST
def deal_reopen_view(request, pk):
    return _closing(request, pk, "reopen")


@permission_required("workspace.view")
@require_POST
def deal_delete_view(request, pk):
    return record_delete_page(request, _get(request, pk), delete=deal_delete, entity="deal",
                              done_message=_("The deal has been deleted."), list_url_name="deal_list")
