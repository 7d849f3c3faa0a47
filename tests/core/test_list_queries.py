"""Every list page and API list: the number of queries does not grow with the rows.

The demo is loaded (six encounters, hundreds of people, proposals, requests, agreements…) and
each list is requested with a cold cache; then the rows it lists are cut down to one and it is
requested again. A list whose queries grow with its rows (an N+1) needs at least one more query
per extra row when full; one extra query is allowed (a prefetch Django skips when the one row
left has nothing to prefetch)."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from encuentros.collaboration.models import (
    Agreement,
    CollaborativeTable,
    Commitment,
    Initiative,
    Proposal,
)
from encuentros.ecosystem.models import Organization, Person
from encuentros.encounters.models import Encounter, Registration
from encuentros.opendata.models import DataRequest, Dataset

# (URL, as whom, the rows it lists). Trimmed in this order: what others depend on comes last.
LISTS = [
    ("/follow-up/proposals/", None, Proposal.objects.all),
    ("/api/v1/proposals?limit=100", None, Proposal.objects.all),
    ("/follow-up/tables/", None, CollaborativeTable.objects.all),
    ("/api/v1/tables?limit=100", None, CollaborativeTable.objects.all),
    ("/follow-up/commitments/", None, Commitment.objects.all),
    ("/api/v1/commitments?limit=100", None, Commitment.objects.all),
    ("/follow-up/agreements/", None, Agreement.objects.all),
    ("/api/v1/agreements?limit=100", None, Agreement.objects.all),
    ("/follow-up/initiatives/", None, Initiative.objects.all),
    ("/api/v1/initiatives?limit=100", None, Initiative.objects.all),
    ("/data/requests/", None, DataRequest.objects.all),
    ("/api/v1/data-requests?limit=100", None, DataRequest.objects.all),
    ("/data/", None, Dataset.objects.all),
    ("/api/v1/datasets?limit=100", None, Dataset.objects.all),
    ("/encounters/6/registrations/", "admin",
     lambda: Registration.objects.filter(encounter__number=6)),
    ("/people/", None, lambda: Person.objects.filter(public_profile=True)),
    ("/organizations/", None, Organization.objects.all),
    ("/api/v1/organizations?limit=100", None, Organization.objects.all),
]


def _queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _trim(rows, keep=1):
    keep_ids = list(rows().order_by("pk").values_list("pk", flat=True)[:keep])
    rows().exclude(pk__in=keep_ids).delete()


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_rows(client, admin_user):
    call_command("load_demo", verbosity=0)
    client.force_login(admin_user)
    full = {}
    for url, _who, rows in LISTS:
        assert rows().count() >= 4, f"the demo should fill {url}"
        full[url] = _queries(client, url)
    growth = {}
    trimmed = set()
    for url, _who, rows in LISTS:
        key = rows().model, str(rows().query)
        if key not in trimmed:
            _trim(rows)
            trimmed.add(key)
        small = _queries(client, url)
        if full[url] > small + 1:
            growth[url] = (small, full[url])
    assert not growth, f"queries grow with rows (1 row → full): {growth}"


@pytest.mark.django_db
def test_history_and_encounter_lists_do_not_grow(client, admin_user):
    """The encounter list and an object's public history, at two sizes."""
    call_command("load_demo", verbosity=0)
    commitment = Commitment.objects.order_by("pk").first()
    urls = ["/encounters/", "/api/v1/encounters?limit=100", "/",
            f"/api/v1/history/commitment/{commitment.pk}?limit=100"]
    full = {url: _queries(client, url) for url in urls}
    assert Encounter.objects.count() >= 6
    Encounter.objects.filter(number__in=[1, 2, 3, 4]).delete()
    for url in urls:
        assert full[url] <= _queries(client, url) + 1, url


@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    "/api/v1/proposals?limit=501", "/api/v1/datasets?limit=501",
    "/api/v1/data-requests?limit=501", "/api/v1/organizations?limit=501",
    "/api/v1/encounters?limit=501", "/api/v1/initiatives?limit=501",
    "/api/v1/openness/instruments?limit=501", "/api/v1/commitments?limit=0",
])
def test_api_pages_are_bounded(client, url):
    assert client.get(url).status_code == 422
