from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from encuentros.ecosystem import privacy
from encuentros.ecosystem.models import Person
from encuentros.encounters.models import Encounter, Registration
from encuentros.encounters.services import attendance_for

from .forms import EraseForm, PersonForm, SignUpForm


def home(request):
    encounters = list(Encounter.objects.filter(is_published=True).select_related("venue")
                      .prefetch_related("other_venues"))
    attendance = attendance_for(encounters)
    upcoming = [e for e in encounters if e.status != Encounter.Status.PAST]
    past = [e for e in encounters if e.status == Encounter.Status.PAST]
    return render(request, "core/home.html", {
        "upcoming": upcoming,
        "past": [(e, attendance[e.pk]) for e in past],
        "editions": len(encounters),
        "people_total": sum(a.total for a in attendance.values()),
    })


def signup(request):
    if request.user.is_authenticated:
        return redirect("core:account")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account was created."))
        return redirect(request.GET.get("next") or "core:account")
    return render(request, "registration/signup.html", {"form": form})


@login_required
def account(request):
    person = getattr(request.user, "person", None)
    registrations = []
    if person:
        registrations = (Registration.objects.filter(person=person)
                         .select_related("encounter").order_by("-encounter__start_date"))
    organized = request.user.organized_encounters.all()
    return render(request, "core/account.html", {
        "person": person, "registrations": registrations, "organized": organized,
    })


def _person(request):
    person = getattr(request.user, "person", None)
    if person is None:
        person = Person.objects.create(
            user=request.user, full_name=request.user.get_full_name() or request.user.username,
            email=request.user.email or None, sector="citizen")
    return person


@login_required
def my_data(request):
    """Access: everything the platform holds about me, as JSON."""
    person = getattr(request.user, "person", None)
    data = privacy.export(person, request.user) if person else {
        "account": {"username": request.user.username, "email": request.user.email}}
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="mis-datos.json"'
    return response


@login_required
def edit_profile(request):
    """Rectification (and opposition: unticking the public profile)."""
    person = _person(request)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your data was updated."))
        return redirect("core:account")
    return render(request, "core/edit_profile.html", {"form": form})


@login_required
def withdraw_public_profile(request):
    if request.method == "POST":
        person = getattr(request.user, "person", None)
        if person:
            privacy.withdraw_public_profile(person)
        messages.success(request, _("Your profile is private: your name is no longer shown "
                                    "publicly."))
    return redirect("core:account")


@login_required
def erase_account(request):
    """Cancellation: anonymize me everywhere and delete my account."""
    form = EraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        person = getattr(request.user, "person", None)
        user = request.user
        logout(request)
        if person:
            privacy.erase(person)
        else:
            user.delete()
        messages.success(request, _("Your account was deleted and your data anonymized."))
        return redirect("core:home")
    return render(request, "core/erase_account.html", {"form": form})


def healthz(request):
    return JsonResponse({"status": "ok"})
