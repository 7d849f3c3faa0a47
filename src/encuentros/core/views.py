from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from encuentros.encounters.models import Encounter, Registration
from encuentros.encounters.services import attendance_for

from .forms import SignUpForm


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


def healthz(request):
    return JsonResponse({"status": "ok"})
