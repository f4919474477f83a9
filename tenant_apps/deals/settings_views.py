"""Settings: pipelines and their stages."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.decorators import permission_required
from tenant_apps.records.errors import RecordError, RecordValidationError, deny_if_forbidden
from tenant_apps.records.forms import apply_service_errors

from .forms import NewPipelineForm, PipelineForm, StageForm
from .models import DealStatus, Pipeline, Stage
from .services import (
    pipeline_create,
    pipeline_delete,
    pipeline_update,
    stage_add,
    stage_delete,
    stage_update,
    stages_reorder,
)


def _error_text(exc: RecordError) -> str:
    return " ".join(str(m) for m in getattr(exc, "errors", {}).values()) or str(exc.message)


@permission_required("deals.manage_pipelines")
def pipelines(request):
    form = NewPipelineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            pipeline = pipeline_create(actor=request.user, **form.cleaned_data)
        except RecordValidationError as exc:
            apply_service_errors(form, exc.errors)
        else:
            messages.success(request, _("The pipeline “%(name)s” has been created.") % {"name": pipeline.name})
            return redirect("settings_pipeline", pipeline.pk)
    rows = Pipeline.objects.annotate(
        open_deals=Count("deals", filter=Q(deals__status=DealStatus.OPEN)),
        stage_count=Count("stages", filter=Q(stages__kind=Stage.Kind.OPEN), distinct=True),
    ).order_by("position", "pk")
    return render(request, "deals/settings_pipelines.html", {"section": "pipelines", "pipelines": rows, "form": form},
                  status=400 if form.errors else 200)


@permission_required("deals.manage_pipelines")
def pipeline(request, pk):
    pipeline = get_object_or_404(Pipeline, pk=pk)
    form = PipelineForm(request.POST if request.method == "POST" else None, initial={"name": pipeline.name, "is_default": pipeline.is_default})
    if request.method == "POST" and form.is_valid():
        try:
            pipeline_update(pipeline=pipeline, actor=request.user, **form.cleaned_data)
        except RecordValidationError as exc:
            apply_service_errors(form, exc.errors)
        else:
            messages.success(request, _("The pipeline has been saved."))
            return redirect("settings_pipeline", pipeline.pk)
    stages = list(pipeline.stages.annotate(deal_count=Count("deals")).order_by("position", "pk"))
    context = {
        "section": "pipelines",
        "pipeline": pipeline,
        "form": form,
        "stages": stages,
        "open_stages": [s for s in stages if s.kind == Stage.Kind.OPEN],
        "stage_form": StageForm(prefix="new"),
    }
    return render(request, "deals/settings_pipeline.html", context, status=400 if form.errors else 200)


@permission_required("deals.manage_pipelines")
@require_POST
def pipeline_delete_view(request, pk):
    pipeline = get_object_or_404(Pipeline, pk=pk)
    try:
        pipeline_delete(pipeline=pipeline, actor=request.user)
    except RecordError as exc:
        deny_if_forbidden(exc)
        messages.error(request, _error_text(exc))
        return redirect("settings_pipeline", pipeline.pk)
    messages.success(request, _("The pipeline has been deleted."))
    return redirect("settings_pipelines")


@permission_required("deals.manage_pipelines")
@require_POST
def stage_add_view(request, pk):
    pipeline = get_object_or_404(Pipeline, pk=pk)
    form = StageForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            stage_add(pipeline=pipeline, actor=request.user, **form.cleaned_data)
        except RecordError as exc:
            deny_if_forbidden(exc)
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The stage has been added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("settings_pipeline", pipeline.pk)


@permission_required("deals.manage_pipelines")
@require_POST
def stage_edit_view(request, pk):
    stage = get_object_or_404(Stage, pk=pk)
    form = StageForm(request.POST, prefix=f"s{stage.pk}")
    if form.is_valid():
        try:
            stage_update(stage=stage, actor=request.user, **form.cleaned_data)
        except RecordError as exc:
            deny_if_forbidden(exc)
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The stage has been saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("settings_pipeline", stage.pipeline_id)


@permission_required("deals.manage_pipelines")
@require_POST
def stages_reorder_view(request, pk):
    pipeline = get_object_or_404(Pipeline, pk=pk)
    ids = request.POST.getlist("ids")
    move, stage_id = request.POST.get("move"), request.POST.get("stage")
    if move in ("up", "down") and stage_id:
        ids = [str(i) for i in pipeline.stages.filter(kind=Stage.Kind.OPEN).values_list("pk", flat=True)]
        if stage_id in ids:
            i = ids.index(stage_id)
            j = i - 1 if move == "up" else i + 1
            if 0 <= j < len(ids):
                ids[i], ids[j] = ids[j], ids[i]
    try:
        stages_reorder(pipeline=pipeline, actor=request.user, stage_ids=ids)
    except RecordError as exc:
        deny_if_forbidden(exc)
        messages.error(request, _error_text(exc))
    return redirect("settings_pipeline", pipeline.pk)


@permission_required("deals.manage_pipelines")
def stage_delete_view(request, pk):
    stage = get_object_or_404(Stage.objects.select_related("pipeline"), pk=pk)
    targets = stage.pipeline.stages.filter(kind=Stage.Kind.OPEN).exclude(pk=stage.pk).order_by("position", "pk")
    if request.method == "POST":
        choice = request.POST.get("move_to", "")
        move_to = targets.filter(pk=int(choice)).first() if choice.isdigit() else None
        try:
            stage_delete(stage=stage, actor=request.user, move_to=move_to)
        except RecordError as exc:
            deny_if_forbidden(exc)
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("The stage has been deleted."))
            return redirect("settings_pipeline", stage.pipeline_id)
    context = {"section": "pipelines", "stage": stage, "targets": targets, "deal_count": stage.deals.count()}
    return render(request, "deals/settings_stage_delete.html", context)
