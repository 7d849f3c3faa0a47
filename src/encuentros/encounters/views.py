from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from encuentros.core.permissions import can_create_encounters, is_admin, is_organizer

from . import exports, hooks, imports, seating, services
from .forms import AgendaItemForm, CheckInForm, EncounterForm, ImportForm, RegistrationForm
from .models import AgendaItem, Encounter, Registration


def _public_encounters(user):
    qs = Encounter.objects.select_related("venue").prefetch_related("other_venues")
    if not user.is_authenticated:
        return qs.filter(is_published=True)
    if user.is_superuser:
        return qs
    return qs.filter(Q(is_published=True) | Q(organizers=user)).distinct()


def _get_encounter(request, number) -> Encounter:
    return get_object_or_404(_public_encounters(request.user), number=number)


def _get_managed(request, number) -> Encounter:
    """The encounter, if the visitor organizes it (admins organize all): one query when they do;
    otherwise 404 where they may not even see it, 403 where they may."""
    user = request.user
    if user.is_authenticated and user.is_active:
        managed = Encounter.objects.select_related("venue").filter(number=number)
        if not is_admin(user):
            managed = managed.filter(organizers=user)
        encounter = managed.first()
        if encounter is not None:
            return encounter
    _get_encounter(request, number)
    raise PermissionDenied


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def encounter_list(request):
    encounters = list(_public_encounters(request.user))
    attendance = services.attendance_for(encounters)
    items = [(e, attendance[e.pk]) for e in encounters]
    return render(request, "encounters/list.html", {
        "items": items, "can_create": can_create_encounters(request.user),
    })


def encounter_detail(request, number):
    encounter = _get_encounter(request, number)
    attendance = services.attendance(encounter)
    agenda = (encounter.agenda.prefetch_related("speakers__organization",
                                                "speaker_organizations"))
    return render(request, "encounters/detail.html", {
        "encounter": encounter,
        "agenda": agenda,
        "attendance": attendance,
        "chart": exports.attendance_chart_svg(attendance.rows),
        "my_registration": services.registration_for_user(encounter, request.user),
        "is_organizer": is_organizer(request.user, encounter),
        "counts": services.registration_counts(encounter) if encounter.capacity else None,
        "links": hooks.encounter_links(encounter),
    })


def attendance_svg(request, number):
    encounter = _get_encounter(request, number)
    svg = exports.attendance_chart_svg(services.attendance(encounter).rows, str(encounter))
    if not svg:
        raise Http404
    return HttpResponse(svg, content_type="image/svg+xml")


def agenda_ics(request, number):
    encounter = _get_encounter(request, number)
    response = HttpResponse(exports.agenda_ical(encounter, _base_url(request)),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="encuentro-{encounter.number}.ics"'
    return response


def register(request, number):
    encounter = _get_encounter(request, number)
    existing = services.registration_for_user(encounter, request.user)
    if existing:
        return redirect("encounters:my_registration", number=number)
    if not encounter.accepts_registrations:
        messages.error(request, _("Registration for this encounter is closed."))
        return redirect(encounter)
    initial = {}
    person = getattr(request.user, "person", None) if request.user.is_authenticated else None
    if request.user.is_authenticated:
        initial = {"email": request.user.email, "full_name": request.user.get_full_name()}
        if person:
            initial.update(full_name=person.full_name, sector=person.sector,
                           public_profile=person.public_profile,
                           organization_name=person.organization.name
                           if person.organization else "",
                           no_organization=person.organization is None,
                           topics=list(person.topics.all()))
    form = RegistrationForm(request.POST or None, initial=initial)
    if request.user.is_authenticated:
        form.fields["email"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.register(encounter, services.RegistrationData(
                full_name=data["full_name"], email=data["email"], sector=data["sector"],
                organization_name=data["organization_name"], topics=tuple(data["topics"]),
                public_profile=data["public_profile"],
                accessibility_needs=data["accessibility_needs"],
            ), user=request.user if request.user.is_authenticated else None)
        except services.RegistrationError as exc:
            form.add_error(exc.field, exc.message)
        else:
            request.session[f"registration-{encounter.pk}"] = registration.badge_token
            if registration.status == Registration.Status.REGISTERED:
                messages.success(request, _("You are registered. Keep your badge code."))
            else:
                messages.warning(request, _("The encounter is full: you are on the waitlist. "
                                            "We will let you know if a seat frees up."))
            return redirect("encounters:my_registration", number=number)
    return render(request, "encounters/register.html", {"encounter": encounter, "form": form})


def _my_registration(request, encounter):
    return services.current_registration(encounter, request.user, request.session)


def my_registration(request, number):
    encounter = _get_encounter(request, number)
    registration = _my_registration(request, encounter)
    if registration is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        messages.info(request, _("You are not registered for this encounter."))
        return redirect(encounter)
    position = None
    if registration.status == Registration.Status.WAITLISTED:
        position = encounter.registrations.filter(
            status=Registration.Status.WAITLISTED, created_at__lt=registration.created_at
        ).count() + 1
    qr = exports.qr_svg(exports.checkin_url(encounter, registration, _base_url(request)), scale=5)
    return render(request, "encounters/my_registration.html", {
        "encounter": encounter, "registration": registration, "qr": qr, "position": position,
        "seats": seating.seats_for(registration),
        "links": hooks.links_for(registration),
    })


@require_POST
def cancel_my_registration(request, number):
    encounter = _get_encounter(request, number)
    registration = _my_registration(request, encounter)
    if registration is None:
        raise Http404
    services.cancel(registration)
    request.session.pop(f"registration-{encounter.pk}", None)
    messages.success(request, _("Your registration was cancelled."))
    return redirect(encounter)


# --- Organizer pages ---------------------------------------------------------------------------

@login_required
def encounter_create(request):
    if not can_create_encounters(request.user):
        raise PermissionDenied
    last = Encounter.objects.order_by("-number").first()
    form = EncounterForm(request.POST or None,
                         initial={"number": (last.number + 1) if last else 1,
                                  "is_published": False})
    if request.method == "POST" and form.is_valid():
        encounter = form.save()
        encounter.organizers.add(request.user)
        messages.success(request, _("Encounter created. Now build its agenda."))
        return redirect("encounters:agenda_manage", number=encounter.number)
    return render(request, "encounters/encounter_form.html", {"form": form})


@login_required
def encounter_edit(request, number):
    encounter = _get_managed(request, number)
    form = EncounterForm(request.POST or None, instance=encounter)
    if request.method == "POST" and form.is_valid():
        capacity = form.cleaned_data["capacity"]
        encounter = form.save()
        services.set_capacity(encounter, capacity)  # promotes the waitlist when capacity grows
        messages.success(request, _("Changes saved."))
        return redirect(encounter)
    return render(request, "encounters/encounter_form.html", {"form": form,
                                                              "encounter": encounter})


@login_required
def agenda_manage(request, number, item_id=None):
    encounter = _get_managed(request, number)
    item = get_object_or_404(AgendaItem, pk=item_id, encounter=encounter) if item_id else None
    form = AgendaItemForm(request.POST or None, instance=item, encounter=encounter)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.encounter = encounter
        saved.save()
        form.save_m2m()
        messages.success(request, _("Agenda item saved."))
        return redirect("encounters:agenda_manage", number=number)
    return render(request, "encounters/agenda_manage.html", {
        "encounter": encounter, "form": form, "item": item,
        "agenda": encounter.agenda.prefetch_related("speakers"),
    })


@login_required
@require_POST
def agenda_item_delete(request, number, item_id):
    encounter = _get_managed(request, number)
    get_object_or_404(AgendaItem, pk=item_id, encounter=encounter).delete()
    messages.success(request, _("Agenda item deleted."))
    return redirect("encounters:agenda_manage", number=number)


@login_required
def registrations(request, number):
    encounter = _get_managed(request, number)
    qs = (encounter.registrations.select_related("person", "organization")
          .order_by("status", "created_at", "pk"))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(person__full_name__icontains=q) | Q(person__email__icontains=q)
                       | Q(organization__name__icontains=q) | Q(badge_token=q))
    status = request.GET.get("status", "")
    if status in Registration.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    import_form = ImportForm()
    import_errors = None
    if request.method == "POST":
        import_form = ImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            upload = import_form.cleaned_data["file"]
            try:
                result = imports.import_registrations(encounter, upload.read(), upload.name)
            except imports.ImportError_ as exc:
                import_errors = exc.errors
                messages.error(request, _("Nothing was imported: fix the rows below and try "
                                          "again."))
            else:
                messages.success(request, _(
                    "Imported %(rows)s rows: %(registered)s registered, %(waitlisted)s "
                    "waitlisted, %(orgs)s new organizations.") % {
                    "rows": result.rows, "registered": result.registered,
                    "waitlisted": result.waitlisted, "orgs": result.new_organizations})
                return redirect("encounters:registrations", number=number)
    return render(request, "encounters/registrations.html", {
        "encounter": encounter, "page": page, "q": q, "status": status,
        "statuses": Registration.Status.choices, "import_form": import_form,
        "import_errors": import_errors, "counts": services.registration_counts(encounter),
    })


@login_required
def registrations_export(request, number):
    encounter = _get_managed(request, number)
    fmt = request.GET.get("format", "csv")
    dataset = imports.export_dataset(encounter)
    name = f"registros-encuentro-{encounter.number}"
    if fmt == "xlsx":
        response = HttpResponse(
            dataset.export("xlsx"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    else:
        response = HttpResponse("\ufeff" + dataset.export("csv"),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def registration_cancel(request, number, registration_id):
    encounter = _get_managed(request, number)
    registration = get_object_or_404(Registration, pk=registration_id, encounter=encounter)
    promoted = services.cancel(registration)
    messages.success(request, _("Registration cancelled."))
    if promoted:
        messages.info(request, _("%(name)s moved from the waitlist to registered.")
                      % {"name": promoted.person.full_name})
    return redirect("encounters:registrations", number=number)


@login_required
def badges_pdf(request, number):
    encounter = _get_managed(request, number)
    regs = (encounter.registrations.filter(status=Registration.Status.REGISTERED)
            .select_related("person", "organization").order_by("person__full_name"))
    try:
        per_page = int(request.GET.get("per_page", settings.BADGES_PER_PAGE))
    except ValueError:
        per_page = settings.BADGES_PER_PAGE
    pdf = exports.badges_pdf(encounter, regs, _base_url(request), per_page=per_page)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="gafetes-encuentro-{number}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


RECENT_ARRIVALS = 10


@login_required
def checkin(request, number):
    encounter = _get_managed(request, number)
    form = CheckInForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            registration, new = services.check_in(encounter, form.cleaned_data["code"],
                                                  by=request.user)
        except services.CheckInError as exc:
            result = {"ok": False, "message": exc.message}
        else:
            result = {"ok": True, "new": new, "registration": registration}
        form = CheckInForm()
    context = {"encounter": encounter, "form": form, "result": result,
               "counts": services.checkin_counts(encounter)}
    if request.headers.get("HX-Request"):
        # At the door: the outcome, the counter, and the new arrival on top of the list (the
        # list itself is not queried again; the full page shows the latest ten).
        return render(request, "encounters/_checkin_result.html", context)
    context["recent"] = (encounter.registrations.filter(checked_in_at__isnull=False)
                         .select_related("person", "organization")
                         .order_by("-checked_in_at")[:RECENT_ARRIVALS])
    return render(request, "encounters/checkin.html", context)


def checkin_code(request, number, token):
    """The URL inside the badge QR. Organizers confirm attendance; anyone else sees a hint."""
    encounter = _get_encounter(request, number)
    if not is_organizer(request.user, encounter):
        return render(request, "encounters/checkin_hint.html", {"encounter": encounter},
                      status=200)
    registration = get_object_or_404(Registration, encounter=encounter, badge_token=token)
    result = None
    if request.method == "POST":
        try:
            registration, new = services.check_in(encounter, token, by=request.user)
            result = {"ok": True, "new": new, "registration": registration}
        except services.CheckInError as exc:
            result = {"ok": False, "message": exc.message}
    return render(request, "encounters/checkin_confirm.html", {
        "encounter": encounter, "registration": registration, "result": result,
        "now": timezone.now(),
    })
