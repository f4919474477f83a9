"""Isolation-matrix rows for the task pages (see tests/test_isolation.py)."""

from django.db import connection

URLS = {
    "task_list": ("get", "member"),
    "task_list_today": ("get", "member"),
    "task_list_overdue": ("get", "member"),
    "task_list_upcoming": ("get", "member"),
    "task_list_done": ("get", "member"),
    "task_list_all": ("get", "member"),
    "task_list_export": ("get", "manager"),
    "task_create": ("get", "writer"),
    "task_detail": ("get", "member"),
    "task_edit": ("get", "member"),
    "task_complete": ("post", "member"),
    "task_reopen": ("post", "member"),
    "task_delete": ("get", "member"),
}
WITH_TASK = {"task_detail", "task_edit", "task_complete", "task_reopen", "task_delete"}


def url_args(name, tenant):
    if name == "task_list_export":
        return ["all"]
    if name not in WITH_TASK:
        return []
    from shared_apps.accounts.models import Membership
    from tenant_apps.tasks.models import Task

    owner = Membership.objects.get(tenant=tenant, role="owner").user
    connection.set_tenant(tenant)
    try:
        task = Task.objects.create(title="Owner's private to-do", assignee=owner, created_by=owner)
    finally:
        connection.set_schema_to_public()
    return [task.pk]
