"""Generate a national-scale dataset and time the indicators, coverage and API pages.

Run by hand against a throwaway PostgreSQL database, never a real one:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cms_bench DEBUG=1 \\
        python manage.py migrate && python manage.py load_pilot_municipalities && \\
        python manage.py benchmark_indicators --generate --confirm-throwaway-database

Figures go into BENCHMARKS.md. This is a measurement, not a test.
"""

import random
import statistics
import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from municipalities.choices import EventKind, RecordStatus
from municipalities.models import HearingPage, MunicipalityPage, OblastPage
from municipalities.monitoring.models import Organisation, ParticipationRecord
from municipalities.monitoring.models.participation import rebuild_year_totals

BATCH = 20_000


class Command(BaseCommand):
    help = (
        "Generates a large dataset (with --generate) and times the indicators and coverage pages."
    )

    def add_arguments(self, parser):
        parser.add_argument("--generate", action="store_true")
        parser.add_argument("--confirm-throwaway-database", action="store_true")
        parser.add_argument("--municipalities", type=int, default=500)
        parser.add_argument("--years", type=int, default=10)
        parser.add_argument("--records", type=int, default=1_000_000)
        parser.add_argument("--pages", type=int, default=20_000, help="pages in all")
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, **options):
        if options["generate"]:
            if not options["confirm_throwaway_database"]:
                raise CommandError(
                    "--generate writes a million rows: add --confirm-throwaway-database "
                    "and point DATABASE_URL at a database made for this."
                )
            self.generate(options["municipalities"], options["years"], options["records"])
            self.generate_pages(options["pages"])
        self.measure(options["runs"], options["years"])

    def generate(self, count, years, records):
        rng = random.Random(2026)
        oblasts = list(OblastPage.objects.filter(locale__language_code="ky").order_by("path"))
        if not oblasts:
            raise CommandError("Run load_pilot_municipalities first.")
        existing = MunicipalityPage.objects.filter(locale__language_code="ky").count()
        started = time.monotonic()
        for number in range(existing, count):
            parent = oblasts[number % len(oblasts)]
            page = MunicipalityPage(title=f"Bench {number}", slug=f"bench-{number}", live=True)
            parent.add_child(instance=page)
            parent.refresh_from_db()
        self.stdout.write(f"municipalities: {count} ({time.monotonic() - started:.1f} s)")
        municipality_ids = list(
            MunicipalityPage.objects.filter(locale__language_code="ky").values_list("pk", flat=True)
        )
        organisations = [
            Organisation.objects.get_or_create(name=f"Bench NGO {n}")[0].pk for n in range(20)
        ]
        kinds = [value for value, _label in EventKind.choices]
        today = timezone.localdate()
        first = date(today.year - years + 1, 1, 1)
        span = (today - first).days
        started = time.monotonic()
        made = ParticipationRecord.objects.count()
        while made < records:
            batch = []
            for _n in range(min(BATCH, records - made)):
                batch.append(
                    ParticipationRecord(
                        municipality_id=rng.choice(municipality_ids),
                        kind=rng.choice(kinds),
                        held_on=first + timedelta(days=rng.randrange(span)),
                        women=rng.randrange(0, 60),
                        men=rng.randrange(1, 60),
                        not_recorded=rng.randrange(0, 5),
                        organisation_id=rng.choice(organisations) if rng.random() < 0.3 else None,
                        status=RecordStatus.VERIFIED if rng.random() < 0.9 else RecordStatus.DRAFT,
                    )
                )
            with transaction.atomic():
                ParticipationRecord.objects.bulk_create(batch)
            made += len(batch)
        rebuild_year_totals()  # bulk_create bypasses save(), which keeps them in step
        if connection.vendor == "postgresql":
            # what autovacuum does on a live server after a bulk load
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE municipalities_participationrecord")
        self.stdout.write(f"records: {made} ({time.monotonic() - started:.1f} s)")

    def generate_pages(self, total):
        """Published hearing notices spread over the municipalities, up to `total` pages."""
        from wagtail.models import Page

        rng = random.Random(2027)
        municipalities = list(
            MunicipalityPage.objects.filter(locale__language_code="ky").order_by("path")
        )
        started = time.monotonic()
        number = Page.objects.count()
        while number < total:
            parent = municipalities[number % len(municipalities)]
            parent.refresh_from_db()  # treebeard places the child by the parent's numchild
            starts = timezone.now() + timedelta(days=rng.randrange(-3000, 90))
            topic = rng.choice(["budget", "tariffs", "priorities", "other"])
            parent.add_child(
                instance=HearingPage(
                    title=f"Bench hearing {number}",
                    slug=f"bench-hearing-{number}",
                    topic=topic,
                    fiscal_year=starts.year + 1 if topic == "budget" else None,
                    starts_at=starts,
                    status="upcoming" if starts > timezone.now() else "held",
                    venue="Айыл өкмөтү",
                    agenda="<p>Күн тартиби</p>",
                    live=True,
                )
            )
            number += 1
        self.stdout.write(f"pages: {number} ({time.monotonic() - started:.1f} s)")

    def measure(self, runs, years):
        client = Client(HTTP_HOST="127.0.0.1")
        today = timezone.localdate()
        urls = [
            f"/ky/indicators/?start={today.year}-01-01&end={today.isoformat()}",
            f"/ky/indicators/?start={today.year - years + 1}-01-01&end={today.isoformat()}",
            f"/ky/indicators/?start={today.year - 3}-03-01&end={today.year}-09-30",
            f"/ky/coverage/?start={today.year}-01-01&end={today.isoformat()}",
            f"/ky/coverage/?start={today.year}-03-01&end={today.year}-09-30",
            f"/ky/indicators/records/?indicator=2&start={today.year}-01-01",
            "/api/v2/pages/?limit=100",
            "/api/v2/pages/?type=municipalities.HearingPage&upcoming=true&limit=100",
            "/api/v2/indicators/",
            f"/api/v2/indicators/?start={today.year - years + 1}-01-01",
            "/api/v2/participation/?limit=100",
            "/api/v2/municipalities/?limit=100",
        ]
        self.stdout.write(
            f"records: {ParticipationRecord.objects.count()}, municipalities: "
            f"{MunicipalityPage.objects.filter(locale__language_code='ky').count()}, "
            f"database: {connection.vendor}"
        )
        self.stdout.write("| page | median ms | p90 ms | queries |")
        self.stdout.write("|---|---|---|---|")
        for url in urls:
            client.get(url)
            timings = []
            for _run in range(runs):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")
            timings.sort()
            p90 = timings[int(len(timings) * 0.9) - 1]
            self.stdout.write(
                f"| `{url}` | {statistics.median(timings):.0f} | {p90:.0f} | {len(queries)} |"
            )
