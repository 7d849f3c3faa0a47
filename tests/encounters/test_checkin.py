import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from encuentros.core.sectors import Sector
from encuentros.encounters import services
from encuentros.encounters.models import Registration


def reg(encounter, i, **kw):
    return services.register(encounter, services.RegistrationData(
        full_name=f"Persona {i}", email=f"k{i}@example.org", sector=Sector.CITIZEN, **kw))


@pytest.mark.django_db
def test_check_in_by_code_and_by_qr_url(encounter, organizer):
    a, b = reg(encounter, 1), reg(encounter, 2)
    got, new = services.check_in(encounter, f"  {a.badge_token} ", by=organizer)
    assert got == a and new and got.checked_in_by == organizer
    url = f"https://x.example/encounters/{encounter.number}/check-in/{b.badge_token}/"
    got, new = services.check_in(encounter, url)
    assert got == b and new
    again, new = services.check_in(encounter, a.badge_token)
    assert not new


@pytest.mark.django_db
def test_check_in_refusals(encounter, venue):
    encounter.capacity = 1
    encounter.save()
    reg(encounter, 1)
    waiting = reg(encounter, 2)
    with pytest.raises(services.CheckInError, match="waitlist|espera"):
        services.check_in(encounter, waiting.badge_token)
    with pytest.raises(services.CheckInError):
        services.check_in(encounter, "no-such-code")
    with pytest.raises(services.CheckInError):
        services.check_in(encounter, "")
    first = Registration.objects.get(person__email="k1@example.org")
    services.cancel(first)
    with pytest.raises(services.CheckInError):
        services.check_in(encounter, first.badge_token)


@pytest.mark.django_db
def test_codes_of_another_encounter_do_not_work(encounter, venue):
    from encuentros.encounters.models import Encounter

    other = Encounter.objects.create(number=99, title="Otro", start_date=encounter.start_date,
                                     end_date=encounter.end_date, registration_open=True)
    r = reg(other, 1)
    with pytest.raises(services.CheckInError):
        services.check_in(encounter, r.badge_token)


@pytest.mark.django_db
def test_checkin_page_htmx_and_plain(client, organizer, encounter):
    r = reg(encounter, 1, accessibility_needs="Intérprete LSM")
    client.force_login(organizer)
    url = reverse("encounters:checkin", args=[encounter.number])
    page = client.get(url)
    assert page.status_code == 200 and 'name="code"' in page.content.decode()
    partial = client.post(url, {"code": r.badge_token}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert "<html" not in html and "Persona 1" in html and "Intérprete LSM" in html
    r.refresh_from_db()
    assert r.checked_in_at is not None
    fail = client.post(url, {"code": "nope"})
    assert fail.context["result"]["ok"] is False


@pytest.mark.django_db
def test_door_answer_updates_counter_and_arrivals(client, organizer, encounter):
    """The htmx answer carries the outcome, the counter (out of band) and the new arrival on
    top of the list; a repeated scan adds no second arrival."""
    a, b = reg(encounter, 1), reg(encounter, 2)
    client.force_login(organizer)
    url = reverse("encounters:checkin", args=[encounter.number])
    page = client.get(url).content.decode()
    assert 'id="recent-arrivals"' in page and 'id="checkin-stats"' in page
    first = client.post(url, {"code": a.badge_token}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="checkin-stats" hx-swap-oob="true"' in first
    assert '<strong id="checked-count">1</strong> / 2' in first
    assert 'hx-swap-oob="afterbegin:#recent-arrivals"' in first and "Persona 1" in first
    again = client.post(url, {"code": a.badge_token}, HTTP_HX_REQUEST="true").content.decode()
    assert "checkin-result ok" in again and "afterbegin:#recent-arrivals" not in again
    assert '<strong id="checked-count">1</strong> / 2' in again
    wrong = client.post(url, {"code": "nope"}, HTTP_HX_REQUEST="true").content.decode()
    assert "checkin-result fail" in wrong and "afterbegin" not in wrong
    client.post(url, {"code": b.badge_token}, HTTP_HX_REQUEST="true")
    page = client.get(url).content.decode()
    assert page.index("Persona 2") < page.index("Persona 1"), "latest arrival first"


@pytest.mark.django_db
def test_check_in_loses_to_a_concurrent_cancellation(encounter, monkeypatch):
    """The registration is read, then cancelled by someone else before the UPDATE: the
    conditional UPDATE records nothing and the door is told why."""
    r = reg(encounter, 1)
    real_filter = Registration.objects.filter

    def cancelled_meanwhile(*args, **kwargs):
        if "checked_in_at__isnull" in kwargs:  # the conditional UPDATE
            Registration.objects.filter(pk=r.pk).update(status=Registration.Status.CANCELLED)
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Registration.objects, "filter", cancelled_meanwhile)
    with pytest.raises(services.CheckInError, match="cancel"):
        services.check_in(encounter, r.badge_token)
    monkeypatch.undo()
    r.refresh_from_db()
    assert r.checked_in_at is None and r.status == Registration.Status.CANCELLED


@pytest.mark.django_db
def test_check_in_counts_in_attendance_at_once(encounter):
    """A check-in is a queryset UPDATE (no signal): the cached attendance still hears of it."""
    a = reg(encounter, 1)
    reg(encounter, 2)
    assert services.attendance(encounter).basis == "registered"
    services.check_in(encounter, a.badge_token)
    after = services.attendance(encounter)
    assert after.basis == "checked_in" and sum(row.people for row in after.rows) == 1


@pytest.mark.django_db
def test_door_request_queries_do_not_grow(client, organizer, encounter,
                                          django_assert_max_num_queries):
    codes = [reg(encounter, i).badge_token for i in range(12)]
    client.force_login(organizer)
    url = reverse("encounters:checkin", args=[encounter.number])
    for code in codes[:10]:
        client.post(url, {"code": code}, HTTP_HX_REQUEST="true")
    # session (cached), user, encounter with the organizer check, registration, update, counter
    with django_assert_max_num_queries(6):
        response = client.post(url, {"code": codes[10]}, HTTP_HX_REQUEST="true")
    assert "checkin-result ok" in response.content.decode()


@pytest.mark.django_db
def test_qr_url_confirms_for_organizers_only(client, organizer, user, encounter):
    r = reg(encounter, 1)
    url = reverse("encounters:checkin_code", args=[encounter.number, r.badge_token])
    anonymous = client.get(url)
    assert anonymous.status_code == 200 and "Persona 1" not in anonymous.content.decode()
    client.post(url)
    r.refresh_from_db()
    assert r.checked_in_at is None
    client.force_login(organizer)
    assert "Persona 1" in client.get(url).content.decode()
    client.post(url)
    r.refresh_from_db()
    assert r.checked_in_at is not None


def _pages(pdf: bytes) -> int:
    assert pdf.startswith(b"%PDF")
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.django_db
def test_badges_pdf_page_count(client, organizer, encounter):
    for i in range(9):
        reg(encounter, i)
    client.force_login(organizer)
    url = reverse("encounters:badges_pdf", args=[encounter.number])
    assert _pages(client.get(url + "?per_page=8").content) == 2
    assert _pages(client.get(url + "?per_page=3").content) == 3
    text = PdfReader(io.BytesIO(client.get(url).content)).pages[0].extract_text()
    assert "Persona 0" in text
