from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from encuentros.ecosystem import privacy
from encuentros.ecosystem.models import Person
from encuentros.encounters.models import Encounter, Registration
from encuentros.encounters.services import attendance_for

from . import tasks
from .forms import EraseForm, PersonForm, SignUpForm
from .models import TaskRecord


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


def task(request, task_id):
    """Where a background task is: for the person who started it and for staff (anyone, for
    work on public pages)."""
    record = get_object_or_404(TaskRecord, pk=task_id[:32])
    if not record.is_public:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (request.user.is_staff or record.owner_id == request.user.pk):
            raise Http404
    done, total, message = tasks.progress_of(record)
    context = {"record": record, "done": done, "total": total, "message": message,
               "percent": tasks.percent(record)}
    if request.GET.get("fragment") or request.headers.get("HX-Request"):
        response = render(request, "core/_task_progress.html", context)
        if record.status == TaskRecord.Status.SUCCESSFUL and record.result_url:
            response["HX-Redirect"] = record.result_url  # htmx follows it: straight to the result
        return response
    return render(request, "core/task.html", context)


def follow_task(request, record, success_message=None):
    """Where to send someone who just started a background task: to its result when it is
    already done (the immediate mode, or a fast worker), else to its progress page."""
    if record.status == TaskRecord.Status.SUCCESSFUL and record.result_url:
        if success_message:
            messages.success(request, success_message)
        return redirect(record.result_url)
    if record.status == TaskRecord.Status.FAILED and record.error_message:
        messages.error(request, record.error_message)
    return redirect("core:task", task_id=record.pk)
