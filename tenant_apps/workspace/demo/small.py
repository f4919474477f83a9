"""The demo workspace's CRM data, written through the same services the pages use, so
that it is exactly what people clicking through the UI would have made: timeline
events, stage history, primary e-mails and phones, tags, custom field values and the
records' history (pghistory) included.

Records are made "in the past": each service call runs under a clock set to the moment
the record would have been created or moved (created_at, stage history, timeline and
task times all follow), spread over the last two years up to today."""

import contextlib
import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from unittest import mock

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from shared_apps.accounts.rules import can
from tenant_apps.activities.models import ActivityKind
from tenant_apps.activities.services import activity_log
from tenant_apps.companies.models import Company, CompanySize, Industry
from tenant_apps.companies.services import company_create
from tenant_apps.contacts.models import Contact, Label
from tenant_apps.contacts.services import contact_create
from tenant_apps.deals.models import Deal, Stage
from tenant_apps.deals.services import deal_create, deal_move, pipeline_create, pipeline_default
from tenant_apps.records.models import LifecycleStage, Source
from tenant_apps.records.settings_services import custom_field_create
from tenant_apps.tasks.models import Task
from tenant_apps.tasks.services import REMINDER, task_complete, task_create
from tenant_apps.workspace.selectors import workspace_timezone
from tenants.scheduling import job_done

from .pools import PERSONAL_DOMAINS, POOLS, Pool, address, company_name, domain_for, email_local, person, phone

SEED = 2026


@dataclass(frozen=True)
class Counts:
    companies: int = 60
    contacts: int = 200
    deals: int = 80
    tasks: int = 40


@contextlib.contextmanager
def _clock(when):
    """Run services as if it were `when`: they and auto_now(_add) fields read
    django.utils.timezone.now at call time."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def demo_crm_present() -> bool:
    """Whether the current workspace already holds CRM records (then it is left alone)."""
    return Contact.objects.exists() or Company.objects.exists() or Deal.objects.exists()


def demo_crm_seed(*, actor, members, language: str, seed: int = SEED, counts: Counts = Counts()) -> dict[str, int]:
    """Fill the current workspace with a realistic small CRM: companies, contacts with
    several e-mails and phones, deals across the pipeline's stages (some won or lost),
    tasks (some overdue, some due today), notes, calls and meetings. `actor` (an owner
    or admin) sets the workspace up; records belong to `members` in turn."""
    pool = POOLS[language]
    rng = random.Random(seed)
    writers = [m for m in members if can(m, "contacts.add_contact") and can(m, "deals.add_deal")] or [actor]
    seeder = _Seeder(rng=rng, pool=pool, actor=actor, writers=writers, now=timezone.now())
    with translation.override(language), transaction.atomic():
        seeder.settings()
        seeder.companies(counts.companies)
        seeder.contacts(counts.contacts)
        seeder.deals(counts.deals)
        seeder.activities()
        seeder.tasks(counts.tasks)
        seeder.sales(language)
    return seeder.made


class _Seeder:
    def __init__(self, *, rng: random.Random, pool: Pool, actor, writers, now):
        self.rng, self.pool, self.actor, self.writers, self.now = rng, pool, actor, writers, now
        self.made = {"companies": 0, "contacts": 0, "deals": 0, "activities": 0, "tasks": 0}
        self.company_rows: list[Company] = []
        self.contacts_of: dict[int, list[Contact]] = {}
        self.contact_rows: list[Contact] = []
        self.deal_rows: list[Deal] = []
        self.emails: set[str] = set()
        self.options: dict[str, tuple] = {}

    def ago(self, low_days: float, high_days: float):
        return self.now - timedelta(days=self.rng.uniform(low_days, high_days), minutes=self.rng.randint(0, 600))

    def settings(self):
        for entity, key, label, field_type, options in self.pool.custom_fields:
            custom_field_create(actor=self.actor, entity=entity, key=key, label=label, field_type=field_type,
                                options=list(options))
            self.options[key] = options
        name, stages = self.pool.second_pipeline
        self.pipelines = [pipeline_default(), pipeline_create(actor=self.actor, name=name, stages=list(stages))]

    def companies(self, n: int):
        rng, pool = self.rng, self.pool
        names = set()
        while len(names) < n:
            names.add(company_name(rng, pool))
        for name in sorted(names, key=lambda _n: rng.random()):
            owner = rng.choice(self.writers)
            city = rng.choice(pool.cities)
            domain = domain_for(name, pool)
            data = {
                "name": name, "website": f"https://www.{domain}", "email": f"office@{domain}",
                "phone": phone(rng, city), "industry": rng.choice(Industry.values[:-1]),
                "size": rng.choices(CompanySize.values, weights=(30, 30, 20, 10, 6, 4))[0],
                "address_line1": address(rng, pool),
                "postal_code": city.postal_code, "city": city.name, "country": city.country,
                "lifecycle_stage": rng.choices(LifecycleStage.values, weights=(40, 30, 30))[0],
                "source": rng.choice(Source.values[:-2]), "owner": owner,
                "tags": rng.sample(pool.tags[2:5], k=rng.choice((0, 0, 1))),
                "custom": {"annual_revenue": rng.randrange(100_000, 50_000_000, 50_000)},
            }
            with _clock(self.ago(300, 730)):
                company = company_create(actor=owner, data=data)
            self.company_rows.append(company)
            self.contacts_of[company.pk] = []
        self.made["companies"] = len(self.company_rows)

    def _unique(self, email: str) -> str:
        local, _at, domain = email.partition("@")
        candidate, n = email, 1
        while candidate in self.emails:
            n += 1
            candidate = f"{local}{n}@{domain}"
        self.emails.add(candidate)
        return candidate

    def contacts(self, n: int):
        rng, pool = self.rng, self.pool
        for i in range(n):
            first, last = person(rng, pool)
            company = rng.choice(self.company_rows) if rng.random() < 0.85 else None
            city = rng.choice(pool.cities)
            emails = []
            if company is not None:
                emails.append({"email": self._unique(f"{email_local(first, last, i)}@{company.domain}"),
                               "label": Label.WORK, "is_primary": True})
            if company is None or rng.random() < 0.35:
                emails.append({"email": self._unique(f"{email_local(first, last, i + 1)}@{rng.choice(PERSONAL_DOMAINS)}"),
                               "label": Label.HOME, "is_primary": company is None})
            phones = [{"number": phone(rng, city), "label": Label.MOBILE, "is_primary": True}]
            if rng.random() < 0.4:
                phones.append({"number": phone(rng, city), "label": Label.WORK, "is_primary": False})
            owner = (company.owner if company is not None and rng.random() < 0.7 else rng.choice(self.writers))
            data = {
                "first_name": first, "last_name": last, "job_title": rng.choice(pool.job_titles) if company else "",
                "company": company, "emails": emails, "phones": phones, "city": city.name, "country": city.country,
                "postal_code": city.postal_code,
                "lifecycle_stage": rng.choices(LifecycleStage.values, weights=(50, 25, 25))[0],
                "source": rng.choice(Source.values[:-2]), "owner": owner,
                "tags": rng.sample(pool.tags, k=rng.choices((0, 1, 2), weights=(55, 35, 10))[0]),
                "custom": {"preferred_channel": rng.choice(self.options["preferred_channel"]),
                           "newsletter": rng.random() < 0.4},
            }
            earliest = (self.now - company.created_at).days if company is not None else 700
            with _clock(self.ago(1, max(2, earliest))):
                contact = contact_create(actor=owner, data=data)
            self.contact_rows.append(contact)
            if company is not None:
                self.contacts_of[company.pk].append(contact)
        self.made["contacts"] = len(self.contact_rows)

    def deals(self, n: int):
        rng, pool = self.rng, self.pool
        stages = {p.pk: list(p.stages.order_by("position", "pk")) for p in self.pipelines}
        outcomes = ["open"] * 50 + ["won"] * 18 + ["lost"] * 12
        for i in range(n):
            outcome = outcomes[i % len(outcomes)]
            pipeline = self.pipelines[0] if rng.random() < 0.85 else self.pipelines[1]
            open_stages = [s for s in stages[pipeline.pk] if s.kind == Stage.Kind.OPEN]
            company = rng.choice(self.company_rows)
            people = self.contacts_of[company.pk]
            owner = company.owner if rng.random() < 0.7 else rng.choice(self.writers)
            created = self.ago(3, 360) if outcome == "open" else self.ago(60, 700)
            amount = Decimal(rng.randrange(1_000, 80_000, 100))
            data = {
                "title": f"{company.name.split()[0]} – {rng.choice(pool.deal_things)}", "pipeline": pipeline,
                "amount": amount, "company": company, "owner": owner,
                "contacts": [c.pk for c in rng.sample(people, k=min(len(people), rng.choice((1, 1, 2))))],
                "expected_close_date": (created + timedelta(days=rng.randint(30, 120))).date(),
                "tags": rng.sample(pool.tags[5:], k=rng.choice((0, 0, 1))),
                "custom": {"competitor": rng.choice(self.options["competitor"])},
            }
            with _clock(created):
                deal = deal_create(actor=owner, data=data)
            # The stages it went through, at rising times up to today (or its close).
            reach = rng.choices(range(len(open_stages)), weights=[5, 4, 3, 2, 1][: len(open_stages)])[0]
            path = open_stages[1:reach + 1]
            if outcome == "won":
                path = open_stages[1:] + [s for s in stages[pipeline.pk] if s.kind == Stage.Kind.WON]
            elif outcome == "lost":
                path = path + [s for s in stages[pipeline.pk] if s.kind == Stage.Kind.LOST]
            end = self.now - timedelta(hours=1) if outcome == "open" else created + (self.now - created) * 0.7
            times = sorted(created + (end - created) * rng.random() for _ in path)
            for stage, when in zip(path, times, strict=True):
                reason = rng.choice(pool.lost_reasons) if stage.kind == Stage.Kind.LOST else ""
                with _clock(when):
                    deal = deal_move(deal=deal, stage=stage, actor=owner, lost_reason=reason)
            self.deal_rows.append(deal)
        self.made["deals"] = len(self.deal_rows)

    def sales(self, language: str):
        from tenant_apps.workspace.models import WorkspaceProfile

        from .sales import demo_sales_seed

        profile = WorkspaceProfile.objects.first()
        currency = profile.default_currency if profile is not None else "EUR"
        self.made.update(demo_sales_seed(rng=self.rng, actor=self.actor, language=language, currency=currency,
                                         clock=_clock))

    def activities(self):
        rng, pool = self.rng, self.pool
        made = 0
        for contact in rng.sample(self.contact_rows, k=int(len(self.contact_rows) * 0.6)):
            for _ in range(rng.choice((1, 1, 2, 3))):
                made += self._log(contact.owner, contact.created_at, contact=contact)
        for deal in self.deal_rows:
            for _ in range(rng.choice((0, 1, 2))):
                made += self._log(deal.owner, deal.created_at, deal=deal)
        self.made["activities"] = made

    def _log(self, author, since, **record) -> int:
        rng, pool = self.rng, self.pool
        kind = rng.choices((ActivityKind.NOTE, ActivityKind.CALL, ActivityKind.MEETING, ActivityKind.EMAIL),
                           weights=(40, 30, 20, 10))[0]
        span = max(0.1, (self.now - since).total_seconds() / 86400)
        when = since + timedelta(days=rng.uniform(0, span))
        when = min(when, self.now - timedelta(minutes=5))
        fields = {"occurred_at": when, **record}
        if kind == ActivityKind.NOTE:
            fields["body"] = rng.choice(pool.notes)
        elif kind == ActivityKind.CALL:
            fields.update(subject=rng.choice(pool.call_subjects), duration_minutes=rng.choice((2, 5, 10, 15, 25)),
                          direction=rng.choice(("in", "out", "out")),
                          outcome=rng.choices(("connected", "no_answer", "voicemail"), weights=(70, 20, 10))[0],
                          body=rng.choice(("", "") + pool.notes[:3]))
        elif kind == ActivityKind.MEETING:
            fields.update(subject=rng.choice(pool.meeting_subjects), duration_minutes=rng.choice((30, 45, 60, 90)),
                          body=rng.choice(pool.notes))
        else:
            fields.update(subject=rng.choice(pool.email_subjects), direction=rng.choice(("in", "out")),
                          body=rng.choice(pool.notes))
        with _clock(when):
            activity_log(actor=author, kind=kind, **fields)
        return 1

    def tasks(self, n: int):
        rng, pool = self.rng, self.pool
        start_of_day = timezone.localtime(self.now, workspace_timezone()).replace(hour=0, minute=0, second=0,
                                                                                   microsecond=0)
        overdue, made = [], 0
        for i in range(n):
            kind = ("overdue", "today", "upcoming", "upcoming", "done")[i % 5]
            if kind == "overdue":
                due = self.now - timedelta(days=rng.uniform(0.5, 12))
            elif kind == "today":
                due = start_of_day + timedelta(hours=rng.uniform(8, 18))
            elif kind == "upcoming":
                due = self.now + timedelta(days=rng.uniform(1, 21))
            else:
                due = self.now - timedelta(days=rng.uniform(1, 60))
            created = min(due, self.now) - timedelta(days=rng.uniform(1, 10))
            link = rng.choice((("deal", self.deal_rows), ("contact", self.contact_rows), ("company", self.company_rows)))
            record = rng.choice(link[1])
            assignee = record.owner or rng.choice(self.writers)
            data = {"title": rng.choice(pool.task_titles), "due_at": due, "assignee": assignee, link[0]: record,
                    "priority": rng.choices((Task.Priority.LOW, Task.Priority.NORMAL, Task.Priority.HIGH,
                                             Task.Priority.URGENT), weights=(15, 55, 22, 8))[0]}
            with _clock(created):
                task = task_create(actor=assignee, data=data)
            if kind == "done":
                with _clock(due - timedelta(hours=rng.uniform(0, 30))):
                    task_complete(task=task, actor=assignee)
            elif due < self.now:
                overdue.append(task.pk)
            made += 1
        # Their reminders went out when they fell due; a fresh demo must not send them again.
        Task.objects.filter(pk__in=overdue).update(reminder_sent_at=F("due_at"))
        job_done(kind=REMINDER, object_ids=overdue)
        self.made["tasks"] = made
