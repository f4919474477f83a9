"""Usage metering: how much of each thing a plan limits a workspace has used.

How each is measured (see docs/adr/0010-entitlements.md):

- seats: memberships of the workspace plus its open invitations (not accepted, not
  withdrawn, not expired), counted in the public schema. An invitation holds its seat
  from the moment it is sent, so accepting it never needs a seat that is not there.
- contacts: the rows of the workspace's contacts table, counted in its schema.
- storage: a measured sum, not a counter: the bytes of every file under the workspace's
  folders in default storage (`<schema>/...`: import uploads and error reports;
  `tenants/<schema>/...`: the logo). Every service that stores files keeps to those
  prefixes (tenant-prefixed storage, ARCHITECTURE.md), so nothing can be forgotten by a
  counter that a new feature fails to update, and a deleted file stops counting at once.
- e-mails sent and AI credits: a public-schema counter per workspace and calendar month
  (UTC), billing.UsageCounter, incremented by one conditional UPSERT so that concurrent
  senders can never pass the limit.
"""

from datetime import date

from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from .models import UsageCounter

MONTHLY_COLUMNS = {"emails": "emails_sent", "ai_credits": "ai_credits_used"}


def month_start(today: date | None = None) -> date:
    """The first day of the current month (UTC): the period a monthly counter counts."""
    today = today or timezone.now().date()
    return today.replace(day=1)


def usage_seats(tenant) -> int:
    """Members plus open invitations of `tenant`, in one query."""
    from shared_apps.accounts.models import Invitation, Membership

    members = Membership.objects.filter(tenant_id=tenant.pk).values("pk")
    pending = Invitation.objects.filter(
        tenant_id=tenant.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).values("pk")
    return members.union(pending, all=True).count()


def usage_members(tenant) -> int:
    from shared_apps.accounts.models import Membership

    return Membership.objects.filter(tenant_id=tenant.pk).count()


def _in_schema(tenant, read):
    """`read()` run in `tenant`'s schema (where it already is, without switching)."""
    from django_tenants.utils import schema_context

    if connection.schema_name == tenant.schema_name:
        return read()
    with schema_context(tenant.schema_name):
        return read()


def usage_contacts(tenant) -> int:
    from tenant_apps.contacts.models import Contact

    return _in_schema(tenant, lambda: Contact.objects.count())


def storage_prefixes(tenant) -> tuple[str, ...]:
    """The folders of default storage that hold `tenant`'s files."""
    return (f"{tenant.schema_name}/", f"tenants/{tenant.schema_name}/")


def _folder_bytes(storage, folder: str) -> int:
    try:
        directories, files = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    total = 0
    for name in files:
        try:
            total += storage.size(f"{folder}{name}")
        except FileNotFoundError:
            continue  # deleted while we looked
    for name in directories:
        total += _folder_bytes(storage, f"{folder}{name}/")
    return total


def usage_storage_bytes(tenant) -> int:
    """Bytes of every file `tenant` keeps in default storage, measured now."""
    return sum(_folder_bytes(default_storage, prefix) for prefix in storage_prefixes(tenant))


def usage_month(tenant, period: date | None = None) -> dict:
    """{"emails": n, "ai_credits": n} used by `tenant` in the month of `period`."""
    row = (
        UsageCounter.objects.filter(tenant_id=tenant.pk, period=month_start(period))
        .values_list("emails_sent", "ai_credits_used")
        .first()
    )
    emails, credits = row or (0, 0)
    return {"emails": emails, "ai_credits": credits}


def usage_add(*, tenant, counter: str, n: int, limit: int | None) -> int | None:
    """Add `n` to this month's `counter` ("emails" or "ai_credits") of `tenant` if the
    total stays within `limit` (None: no limit). Returns the new total, or None when it
    would pass the limit (nothing is added then).

    One statement, INSERT ... ON CONFLICT DO UPDATE ... WHERE ... RETURNING: the row is
    locked by the update, and PostgreSQL re-reads it before applying the condition, so
    two concurrent calls can never both pass a limit that has room for only one. Part of
    the caller's transaction: rolled back with it."""
    column = MONTHLY_COLUMNS[counter]
    if n < 0:
        raise ValueError("usage is only ever added")
    if limit is not None and n > limit:
        return None
    table = connection.ops.quote_name(UsageCounter._meta.db_table)
    other = MONTHLY_COLUMNS["ai_credits" if counter == "emails" else "emails"]
    condition = f"WHERE {table}.{column} + %s <= %s" if limit is not None else ""
    params = [tenant.pk, month_start(), n] + ([n, limit] if limit is not None else [])
    sql = (
        f"INSERT INTO public.{table} (tenant_id, period, {column}, {other}, created_at, updated_at) "
        f"VALUES (%s, %s, %s, 0, now(), now()) "
        f"ON CONFLICT (tenant_id, period) DO UPDATE SET {column} = {table}.{column} + EXCLUDED.{column}, "
        f"updated_at = now() {condition} RETURNING {column}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None
