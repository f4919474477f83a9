"""A large generated CRM for the performance budgets (issue 3): at scale 1, 20k companies,
100k contacts (with their e-mail and phone rows), 50k deals (thousands open in the
default pipeline) and 200k timeline activities, written with COPY in one transaction.

Deterministic: the same seed and scale give the same rows. Distributions follow a
real workspace: owners spread over the members who sell, lifecycle stages and sources
weighted, a third of the people and companies Bulgarian (Cyrillic), dates over the last
two years, deals opened and closed over time with their stage history, custom field
values and tags.

History: the django-pghistory triggers are skipped for these rows (pgtrigger.ignore for
the tracked models, inside the seeding transaction). Generated rows are not edits anyone
made; tracking them would write one history row per record (~370k) that the history tab
would show as "created by nobody". A record's history starts with its first real change.

The search vectors are generated columns and fill themselves; VACUUM (ANALYZE) runs at
the end so that the planner sees the new sizes at once."""

import json
import math
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pgtrigger
from django.db import connection, transaction
from django.utils import timezone

from tenant_apps.activities.markdown import markdown_to_safe_html
from tenant_apps.activities.models import Activity, ActivityKind
from tenant_apps.companies.models import Company, CompanySize, Industry
from tenant_apps.contacts.models import Contact, ContactEmail, ContactPhone, Label
from tenant_apps.deals.models import Deal, DealStageChange, DealStatus, Pipeline, Stage
from tenant_apps.deals.services import POSITION_STEP, pipeline_create, pipeline_default
from tenant_apps.records.models import CustomField, LifecycleStage, Source
from tenant_apps.records.settings_services import custom_field_create
from tenant_apps.records.tags import tags_for_names

from .pools import BG, EN, PERSONAL_DOMAINS, address, company_name, domain_for, email_local, person, phone

SEED = 3
FULL = {"companies": 20_000, "contacts": 100_000, "deals": 50_000, "activities": 200_000}
HISTORY_TRIGGERS = (Company, Contact, ContactEmail, ContactPhone, Deal)
DAY = 86400.0


@dataclass
class Timing:
    table: str
    rows: int
    seconds: float


@dataclass
class _Ids:
    """Ids and facts of the generated records that later tables refer to."""

    company_owner: list = field(default_factory=list)
    company_created: list = field(default_factory=list)
    company_pool: list = field(default_factory=list)
    company_word: list = field(default_factory=list)
    company_last: dict = field(default_factory=dict)
    contacts_of: dict = field(default_factory=dict)
    contact_company: list = field(default_factory=list)
    contact_created: list = field(default_factory=list)
    contact_owner: list = field(default_factory=list)
    contact_last: dict = field(default_factory=dict)
    deal_company: list = field(default_factory=list)
    deal_created: list = field(default_factory=list)
    deal_owner: list = field(default_factory=list)
    deal_last: dict = field(default_factory=dict)


def large_counts(scale: float) -> dict[str, int]:
    return {name: max(1, round(n * scale)) for name, n in FULL.items()}


def large_crm_seed(*, actor, owners, scale: float = 1.0, seed: int = SEED) -> list[Timing]:
    """Write the large data set into the current workspace (which should hold no CRM
    records yet); `owners` (users) own the records, `actor` sets up fields and
    pipelines through the services. Returns the time spent per table."""
    generator = _Generator(actor=actor, owners=owners, counts=large_counts(scale), rng=random.Random(seed))
    uris = [f"{model._meta.label}:{trigger.name}" for model, trigger in pgtrigger.registered()
            if model in HISTORY_TRIGGERS]
    with transaction.atomic(), pgtrigger.ignore(*uris):
        generator.setup()
        # pgtrigger.ignore sets its flag for the transaction on the next query through
        # Django; COPY goes straight to psycopg, so make that query happen first.
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        generator.write()
    # VACUUM too when it can run (not inside a transaction, as in tests): it sets the
    # visibility map, so that counts read the indexes alone from the first request on.
    started = time.perf_counter()
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in (Company, Contact, ContactEmail, ContactPhone, Deal, DealStageChange, Activity,
                      Contact.tags.through, Company.tags.through, Deal.tags.through, Deal.contacts.through):
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
    generator.timings.append(Timing(command, 0, time.perf_counter() - started))
    return generator.timings


def _jsonable(value):
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value


class _Generator:
    def __init__(self, *, actor, owners, counts, rng):
        self.actor, self.counts, self.rng = actor, counts, rng
        self.owner_ids = [u.pk for u in owners]
        # Sales people own most records, managers and admins fewer.
        self.owner_weights = [1 + 3 * (i % 2) for i in range(len(self.owner_ids))]
        self.now = timezone.now()
        self.ids = _Ids()
        self.timings: list[Timing] = []
        self.html = {}

    # --- settings through the services (a handful of rows) ----------------------------

    def setup(self):
        existing = set(CustomField.objects.values_list("entity", "key"))
        self.options = {}
        for entity, key, label, field_type, options in EN.custom_fields:
            if (entity, key) not in existing:
                custom_field_create(actor=self.actor, entity=entity, key=key, label=label, field_type=field_type,
                                    options=list(options))
            self.options[key] = options
        self.pipeline = pipeline_default()
        name, stages = EN.second_pipeline
        second = Pipeline.objects.filter(name=name).first() or pipeline_create(actor=self.actor, name=name,
                                                                               stages=list(stages))
        self.pipelines = [self.pipeline, second]
        self.stages = {p.pk: list(Stage.objects.filter(pipeline=p).order_by("position", "pk")) for p in self.pipelines}
        self.tag_ids = [t.pk for t in tags_for_names(EN.tags + BG.tags[:3])]
        schema = connection.schema_name
        self.schema = connection.ops.quote_name(schema)

    # --- helpers -----------------------------------------------------------------------

    def owner(self) -> int:
        return self.rng.choices(self.owner_ids, weights=self.owner_weights)[0]

    def when(self, after, before=None):
        before = before or self.now
        span = max(60.0, (before - after).total_seconds())
        return after + timedelta(seconds=self.rng.random() * span)

    def next_id(self, model) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(model._meta.db_table)}")
            return cursor.fetchone()[0] + 1

    def copy(self, model, columns: list[str], rows) -> None:
        """COPY `rows` (tuples in the order of `columns`) into `model`'s table; the other
        columns get their field defaults, as Django would have written them."""
        started = time.perf_counter()
        fields = [f for f in model._meta.concrete_fields if not f.generated and f.column not in columns
                  and not (f.primary_key and f.column == "id")]
        constants = tuple(_jsonable(f.get_default()) for f in fields)
        names = ", ".join(connection.ops.quote_name(c) for c in [*columns, *(f.column for f in fields)])
        table = f"{self.schema}.{connection.ops.quote_name(model._meta.db_table)}"
        count = 0
        with connection.connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + constants)
                    count += 1
            if "id" in columns:
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        self.timings.append(Timing(model._meta.db_table, count, time.perf_counter() - started))

    # --- the tables ----------------------------------------------------------------------

    def write(self):
        # Activities come first in memory (not on disk) so that every record's
        # last_activity_at is known when its row is written.
        self.plan_companies()
        self.plan_contacts()
        self.plan_deals()
        activities = self.plan_activities()
        self.copy(Company, self.company_columns, self.company_rows())
        self.copy(Contact, self.contact_columns, self.contact_rows())
        self.copy(ContactEmail, ["contact_id", "email", "label", "is_primary"], iter(self.email_rows))
        self.copy(ContactPhone, ["contact_id", "number", "label", "is_primary"], iter(self.phone_rows))
        self.copy(Contact.tags.through, ["contact_id", "tag_id"], iter(self.contact_tags))
        self.copy(Company.tags.through, ["company_id", "tag_id"], iter(self.company_tags))
        self.copy(Deal, self.deal_columns, self.deal_rows())
        self.copy(Deal.contacts.through, ["deal_id", "contact_id"], iter(self.deal_contacts))
        self.copy(Deal.tags.through, ["deal_id", "tag_id"], iter(self.deal_tags))
        self.copy(DealStageChange, ["deal_id", "from_stage_id", "to_stage_id", "changed_at", "changed_by_id",
                                    "seconds_in_previous"], iter(self.stage_changes))
        self.copy(Activity, self.activity_columns, iter(activities))

    def plan_companies(self):
        rng, n = self.rng, self.counts["companies"]
        self.company_first = self.next_id(Company)
        self.companies = []
        self.company_tags = []
        names = {}
        for i in range(n):
            pool = BG if rng.random() < 0.3 else EN
            name = company_name(rng, pool)
            seen = names.get(name, 0)
            names[name] = seen + 1
            domain = domain_for(name, pool) if not seen else domain_for(name, pool).replace(".", f"{seen + 1}.", 1)
            pk = self.company_first + i
            created = self.now - timedelta(seconds=rng.random() * 730 * DAY)
            owner = self.owner()
            city = rng.choice(pool.cities)
            self.companies.append((pk, name, domain, created, owner, pool, city))
            self.ids.company_owner.append(owner)
            self.ids.company_created.append(created)
            self.ids.company_pool.append(pool)
            self.ids.company_word.append(name.split()[0])
            self.ids.contacts_of[pk] = []
            if rng.random() < 0.15:
                self.company_tags.append((pk, rng.choice(self.tag_ids)))

    company_columns = ["id", "name", "domain", "website", "email", "phone", "industry", "size", "address_line1",
                       "postal_code", "city", "country", "lifecycle_stage", "source", "owner_id", "created_by_id",
                       "created_at", "updated_at", "last_activity_at", "custom"]

    def company_rows(self):
        rng = self.rng
        industries, sizes, stages, sources = Industry.values[:-1], CompanySize.values, LifecycleStage.values, Source.values
        for pk, name, domain, created, owner, pool, city in self.companies:
            custom = json.dumps({"annual_revenue": rng.randrange(100_000, 90_000_000, 50_000)}) if rng.random() < 0.6 else "{}"
            yield (pk, name, domain, f"https://www.{domain}", f"office@{domain}", phone(rng, city),
                   rng.choice(industries), rng.choices(sizes, weights=(30, 30, 20, 10, 6, 4))[0], address(rng, pool),
                   city.postal_code, city.name, city.country, rng.choices(stages, weights=(40, 30, 30))[0],
                   rng.choice(sources), owner, owner, created, created, self.ids.company_last.get(pk), custom)

    def plan_contacts(self):
        rng, n = self.rng, self.counts["contacts"]
        self.contact_first = self.next_id(Contact)
        self.contacts, self.email_rows, self.phone_rows, self.contact_tags = [], [], [], []
        used = set(e.lower() for e in ContactEmail.objects.values_list("email", flat=True))
        n_companies = len(self.companies)
        for i in range(n):
            pk = self.contact_first + i
            company_index = rng.randrange(n_companies) if rng.random() < 0.8 else None
            pool = self.ids.company_pool[company_index] if company_index is not None else (BG if rng.random() < 0.3 else EN)
            first, last = person(rng, pool)
            city = rng.choice(pool.cities)
            emails = []
            if company_index is not None:
                company = self.companies[company_index]
                emails.append((f"{email_local(first, last, i)}@{company[2]}", Label.WORK))
                created = self.when(company[3])
                owner = company[4] if rng.random() < 0.7 else self.owner()
                company_pk = company[0]
                self.ids.contacts_of[company_pk].append(pk)
            else:
                created, owner, company_pk = self.now - timedelta(seconds=rng.random() * 730 * DAY), self.owner(), None
            if company_index is None or rng.random() < 0.35:
                emails.append((f"{email_local(first, last, i + 1)}@{rng.choice(PERSONAL_DOMAINS)}", Label.HOME))
            primary_email = ""
            for position, (email, label) in enumerate(emails):
                email = email.lower()
                if email in used:
                    local, _at, domain = email.partition("@")
                    email = f"{local}.{pk}@{domain}"
                used.add(email)
                primary_email = primary_email or email
                self.email_rows.append((pk, email, label, position == 0))
            primary_phone = ""
            if rng.random() < 0.9:
                primary_phone = phone(rng, city)
                self.phone_rows.append((pk, primary_phone, Label.MOBILE, True))
                if rng.random() < 0.3:
                    self.phone_rows.append((pk, phone(rng, city), Label.WORK, False))
            if rng.random() < 0.25:
                for tag in rng.sample(self.tag_ids, k=rng.choice((1, 1, 2))):
                    self.contact_tags.append((pk, tag))
            self.contacts.append((pk, first, last, company_pk, primary_email, primary_phone, city, created, owner, pool))
            self.ids.contact_company.append(company_pk)
            self.ids.contact_created.append(created)
            self.ids.contact_owner.append(owner)

    contact_columns = ["id", "first_name", "last_name", "job_title", "company_id", "email", "phone", "address_line1",
                       "postal_code", "city", "country", "lifecycle_stage", "source", "owner_id", "created_by_id",
                       "created_at", "updated_at", "last_activity_at", "custom"]

    def contact_rows(self):
        rng = self.rng
        stages, sources = LifecycleStage.values, Source.values
        channels = self.options["preferred_channel"]
        for pk, first, last, company_pk, email, number, city, created, owner, pool in self.contacts:
            custom = "{}"
            if rng.random() < 0.6:
                custom = json.dumps({"preferred_channel": rng.choice(channels), "newsletter": rng.random() < 0.4})
            yield (pk, first, last, rng.choice(pool.job_titles) if company_pk else "", company_pk, email, number,
                   address(rng, pool) if rng.random() < 0.5 else "", city.postal_code, city.name, city.country,
                   rng.choices(stages, weights=(55, 25, 20))[0], rng.choice(sources), owner, owner, created, created,
                   self.ids.contact_last.get(pk), custom)

    def plan_deals(self):
        rng, n = self.rng, self.counts["deals"]
        self.deal_first = self.next_id(Deal)
        self.deals, self.deal_contacts, self.deal_tags, self.stage_changes = [], [], [], []
        self.closing_events = []
        columns: dict[int, float] = {}
        n_companies = len(self.companies)
        for i in range(n):
            pk = self.deal_first + i
            company_index = rng.randrange(n_companies) if rng.random() < 0.95 else None
            if company_index is not None:
                company_pk, word, pool = (self.companies[company_index][0], self.ids.company_word[company_index],
                                          self.ids.company_pool[company_index])
                created = self.when(self.ids.company_created[company_index])
                owner = self.ids.company_owner[company_index] if rng.random() < 0.7 else self.owner()
            else:
                company_pk, pool = None, EN
                word = rng.choice(pool.company_words)
                created, owner = self.now - timedelta(seconds=rng.random() * 730 * DAY), self.owner()
            pipeline = self.pipelines[0] if rng.random() < 0.75 else self.pipelines[1]
            stages = self.stages[pipeline.pk]
            open_stages = [s for s in stages if s.kind == Stage.Kind.OPEN]
            recent = (self.now - created).days < 90
            status = rng.choices((DealStatus.OPEN, DealStatus.WON, DealStatus.LOST),
                                 weights=(85, 7, 8) if recent else (12, 40, 48))[0]
            if status == DealStatus.OPEN:
                reach = rng.choices(range(len(open_stages)), weights=[30, 25, 20, 15, 10][: len(open_stages)])[0]
                path = open_stages[: reach + 1]
                end = self.now
            else:
                path = open_stages[: rng.randint(1, len(open_stages))]
                path.append(next(s for s in stages if s.kind == status))
                end = min(self.now, created + timedelta(days=rng.uniform(7, 150)))
            times = [created] + sorted(self.when(created, end) for _ in path[1:])
            previous, entered = None, created
            for stage, at in zip(path, times, strict=True):
                seconds = int((at - entered).total_seconds()) if previous is not None else None
                self.stage_changes.append((pk, previous.pk if previous else None, stage.pk, at, owner, seconds))
                previous, entered = stage, at
            stage = path[-1]
            position = 0.0
            if status == DealStatus.OPEN:
                position = columns.get(stage.pk, 0.0) + POSITION_STEP
                columns[stage.pk] = position
            reason = rng.choice(pool.lost_reasons) if status == DealStatus.LOST else ""
            amount = Decimal(max(500, min(500_000, round(math.exp(rng.gauss(9.3, 1.0)), -2))))
            closed = entered if status != DealStatus.OPEN else None
            self.deals.append((pk, f"{word} – {rng.choice(pool.deal_things)}", pipeline.pk, stage.pk, position, amount,
                               (created + timedelta(days=rng.randint(20, 150))).date(), company_pk, status, reason,
                               closed, entered, owner, created))
            if status != DealStatus.OPEN:
                data = {"amount": str(amount), "currency": "EUR"} if status == DealStatus.WON else {"reason": reason}
                self.closing_events.append((pk, company_pk, str(status), data, closed, owner))
            people = self.ids.contacts_of.get(company_pk) or []
            for contact in rng.sample(people, k=min(len(people), rng.choice((1, 1, 2)))):
                self.deal_contacts.append((pk, contact))
            if rng.random() < 0.1:
                self.deal_tags.append((pk, rng.choice(self.tag_ids)))
            self.ids.deal_company.append(company_pk)
            self.ids.deal_created.append(created)
            self.ids.deal_owner.append(owner)

    deal_columns = ["id", "title", "pipeline_id", "stage_id", "position", "amount", "expected_close_date", "company_id",
                    "status", "lost_reason", "closed_at", "stage_entered_at", "owner_id", "created_by_id", "created_at",
                    "updated_at", "currency", "last_activity_at", "custom"]

    def deal_rows(self):
        rng = self.rng
        competitors = self.options["competitor"]
        for row in self.deals:
            custom = json.dumps({"competitor": rng.choice(competitors)}) if rng.random() < 0.5 else "{}"
            owner, created = row[12], row[13]
            yield (*row[:13], owner, created, created, "EUR", self.ids.deal_last.get(row[0]), custom)

    activity_columns = ["kind", "subject", "body", "body_html", "occurred_at", "duration_minutes", "direction",
                        "outcome", "event", "data", "author_id", "contact_id", "company_id", "deal_id", "created_at",
                        "updated_at"]

    def _touch(self, last: dict, pk, when):
        if pk is not None and (last.get(pk) is None or last[pk] < when):
            last[pk] = when

    def plan_activities(self) -> list[tuple]:
        rng, ids = self.rng, self.ids
        rows = []
        for deal_pk, company_pk, event, data, closed, owner in self.closing_events:
            rows.append((ActivityKind.SYSTEM, "", "", "", closed, None, "", "", event, json.dumps(data), owner, None,
                         company_pk, deal_pk, closed, closed))
            self._touch(ids.deal_last, deal_pk, closed)
            self._touch(ids.company_last, company_pk, closed)
        kinds = (ActivityKind.NOTE, ActivityKind.CALL, ActivityKind.MEETING, ActivityKind.EMAIL)
        outcomes = ("connected", "connected", "connected", "no_answer", "voicemail", "busy")
        n_contacts, n_deals, n_companies = len(self.contacts), len(self.deals), len(self.companies)
        for _ in range(max(0, self.counts["activities"] - len(rows))):
            target = rng.random()
            contact_pk = deal_pk = None
            if target < 0.6:
                index = rng.randrange(n_contacts)
                contact_pk, company_pk = self.contact_first + index, ids.contact_company[index]
                since, author = ids.contact_created[index], ids.contact_owner[index]
                pool = self.contacts[index][-1]
            elif target < 0.85:
                index = rng.randrange(n_deals)
                deal_pk, company_pk = self.deal_first + index, ids.deal_company[index]
                since, author, pool = ids.deal_created[index], ids.deal_owner[index], EN
            else:
                index = rng.randrange(n_companies)
                company_pk = self.company_first + index
                since, author, pool = ids.company_created[index], ids.company_owner[index], ids.company_pool[index]
            kind = rng.choices(kinds, weights=(40, 30, 15, 15))[0]
            at = self.when(since)
            subject = body = direction = outcome = ""
            duration = None
            if kind == ActivityKind.NOTE:
                body = rng.choice(pool.notes)
            elif kind == ActivityKind.CALL:
                subject, duration = rng.choice(pool.call_subjects), rng.choice((2, 5, 10, 15, 25))
                direction, outcome = rng.choice(("in", "out", "out")), rng.choice(outcomes)
            elif kind == ActivityKind.MEETING:
                subject, duration, body = rng.choice(pool.meeting_subjects), rng.choice((30, 45, 60, 90)), rng.choice(pool.notes)
            else:
                subject, direction, body = rng.choice(pool.email_subjects), rng.choice(("in", "out")), rng.choice(pool.notes)
            html = self.html.get(body)
            if html is None:
                html = self.html[body] = markdown_to_safe_html(body) if body else ""
            rows.append((kind, subject, body, html, at, duration, direction, outcome, "", "{}", author, contact_pk,
                         company_pk, deal_pk, at, at))
            self._touch(ids.contact_last, contact_pk, at)
            self._touch(ids.company_last, company_pk, at)
            self._touch(ids.deal_last, deal_pk, at)
        return rows
