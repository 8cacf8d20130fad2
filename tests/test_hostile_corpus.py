"""A small hostile corpus against every kind of public address: never a server error.

Each address is tried with values an attacker or a careless client sends: NUL and control
characters, huge and negative numbers, other scripts, SQL and markup, path tricks, empty
and repeated parameters. Run on both databases (PostgreSQL refuses more than SQLite)."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo_records")]

HOSTILE = [
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "NaN",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%",
    "ﷺ𝕏🙂",
    "Ө" * 3000,
    "",
    "2026-02-30",
    "true'",
]
PAGES = [
    "/ky/search/?q={v}",
    "/ky/search/?q=угуу&page={v}",
    "/ky/hearings/?oblast={v}&municipality={v}&topic={v}",
    "/ru/indicators/?start={v}&end={v}&oblast={v}",
    "/ru/indicators/records/?start={v}&kind={v}&municipality={v}&page={v}",
    "/ky/coverage/?organisation={v}&start={v}",
    "/ky/campaigns/?audience={v}&channel={v}&page={v}",
    "/ky/indicators/export/{v}/",
    "/ky/p/{v}/",
    "/ky/{v}/",
]
API = [
    "/api/v2/pages/?type={v}",
    "/api/v2/pages/?search={v}",
    "/api/v2/pages/?child_of={v}&limit={v}&offset={v}",
    "/api/v2/pages/?municipality={v}&date_from={v}&upcoming={v}",
    "/api/v2/pages/?fields={v}&order={v}",
    "/api/v2/pages/{v}/",
    "/api/v2/documents/?search={v}&limit={v}",
    "/api/v2/images/?order={v}",
    "/api/v2/municipalities/{v}/",
    "/api/v2/participation/?kind={v}&start={v}&limit={v}&offset={v}",
    "/api/v2/indicators/?locale={v}&oblast={v}",
    "/api/v2/coverage/?organisation={v}",
]


@pytest.mark.parametrize("template", PAGES + API)
def test_no_hostile_value_gives_a_server_error(template):
    from urllib.parse import quote

    client = Client(raise_request_exception=False)
    failures = []
    for value in HOSTILE:
        url = template.format(v=quote(value, safe=""))
        status = client.get(url).status_code
        if status >= 500:
            failures.append((url[:120], status))
    assert failures == []
    if template in API:  # the API answers JSON even when refusing
        response = client.get(template.format(v=quote("\x00", safe="")))
        assert response["Content-Type"].startswith("application/json")
