"""Catalog, data requests, matchmaking and the demand diagnosis (thin views)."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from encuentros.core.permissions import is_organizer
from encuentros.core.tasks import start
from encuentros.core.text import spreadsheet_safe
from encuentros.core.views import follow_task
from encuentros.ecosystem.models import Organization, Topic
from encuentros.encounters.models import Encounter

from . import charts, services, tasks
from .forms import CatalogImportForm, CommentForm, DataRequestForm, StatusForm
from .models import DataRequest, Dataset, Match

PAGE = 25


def catalog(request):
    qs = Dataset.objects.select_related("publisher").prefetch_related("themes")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if request.GET.get("topic"):
        qs = qs.filter(themes__slug=request.GET["topic"])
    if request.GET.get("publisher"):
        qs = qs.filter(publisher__slug=request.GET["publisher"])
    if request.GET.get("format"):
        qs = qs.filter(formats__icontains=request.GET["format"][:20].upper())
    if request.GET.get("catalog"):
        qs = qs.filter(source_catalog=request.GET["catalog"][:200])
    page = Paginator(qs.distinct().order_by("title", "pk"), PAGE).get_page(request.GET.get("page"))
    return render(request, "opendata/catalog.html", {
        "page": page, "topics": Topic.objects.filter(datasets__isnull=False).distinct(),
        "publishers": Organization.objects.filter(datasets__isnull=False).distinct()
        .order_by("name"),
        "values": {k: request.GET.get(k, "") for k in ("q", "topic", "publisher", "format")}})


def dataset(request, pk):
    d = get_object_or_404(Dataset.objects.select_related("publisher")
                          .prefetch_related("themes", "answers"), pk=pk)
    return render(request, "opendata/dataset.html", {"dataset": d})


def request_list(request):
    qs = DataRequest.objects.select_related("topic", "agency")
    status = request.GET.get("status")
    if status in DataRequest.Status.values:
        qs = qs.filter(status=status)
    if request.GET.get("topic"):
        qs = qs.filter(topic__slug=request.GET["topic"])
    page = Paginator(qs, PAGE).get_page(request.GET.get("page"))
    return render(request, "opendata/request_list.html", {
        "page": page, "statuses": DataRequest.Status.choices, "topics": Topic.objects.all(),
        "values": {k: request.GET.get(k, "") for k in ("status", "topic")}})


def request_detail(request, pk):
    r = get_object_or_404(DataRequest.objects.select_related(
        "topic", "agency", "encounter", "requester").prefetch_related("datasets"), pk=pk)
    manage = services.can_manage(request.user, r)
    status_form = StatusForm(request.POST or None) if manage else None
    if request.method == "POST" and manage and status_form.is_valid():
        try:
            services.change_status(r, request.user, status_form.cleaned_data["status"],
                                   reason=status_form.cleaned_data["reason"],
                                   response=status_form.cleaned_data["response"])
        except services.RequestError as exc:
            status_form.add_error(exc.field if exc.field in status_form.fields else None,
                                  exc.message)
        else:
            messages.success(request, _("The status was updated."))
            return redirect(r)
    voted = request.user.is_authenticated and r.votes.filter(user=request.user).exists()
    return render(request, "opendata/request_detail.html", {
        "req": r, "requested_by": services.requester_label(r), "voted": voted,
        "similar": services.similar_datasets(r), "holders": services.likely_holders(r),
        "comments": r.comments.all(), "history": r.history.all(),
        "comment_form": CommentForm(), "status_form": status_form})


@login_required
def request_create(request):
    form = DataRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = request.GET.get("encounter", "")
        encounter = Encounter.objects.filter(number=int(number)).first() \
            if number.isdigit() and len(number) < 10 else None
        try:
            r = services.create_request(request.user, encounter=encounter, **form.cleaned_data)
        except services.RequestError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("Your data request was published."))
            return redirect(r)
    return render(request, "opendata/request_form.html", {"form": form})


@require_POST
@login_required
def request_vote(request, pk):
    r = get_object_or_404(DataRequest, pk=pk)
    if services.vote(r, request.user):
        messages.success(request, _("Thank you for your support."))
    else:
        messages.info(request, _("You already support this request."))
    return redirect(r)


@require_POST
@login_required
def request_comment(request, pk):
    r = get_object_or_404(DataRequest, pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment(r, request.user, form.cleaned_data["body"])
    return redirect(r)


def _int(value) -> int:
    """A posted identifier, or 0 (matches nothing) when it is not a small whole number."""
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) < 10 else 0


def matchmaking(request, number):
    encounter = get_object_or_404(Encounter, number=number)
    organizer = is_organizer(request.user, encounter)
    if not encounter.is_published and not organizer:
        raise Http404  # an unpublished encounter exists only for its organizers
    if request.method == "POST":
        if not organizer:
            raise PermissionDenied
        if request.POST.get("action") == "run":
            capacity = min(_int(request.POST.get("capacity")) or services.DEFAULT_CAPACITY, 50)
            record = start(tasks.matchmaking_task, encounter.pk, capacity,
                           label=_("Matchmaking for %(encounter)s") % {"encounter": encounter},
                           subject=f"matchmaking:{encounter.pk}", owner=request.user)
            n = (record.return_value or {}).get("matches", 0)
            return follow_task(request, record, _("%(n)s meetings planned.") % {"n": n})
        elif request.POST.get("action") == "edit":
            match = get_object_or_404(Match, pk=_int(request.POST.get("match")),
                                      encounter=encounter)
            org = get_object_or_404(Organization, pk=_int(request.POST.get("organization")))
            services.edit_match(match, org)
            messages.success(request, _("The match was changed."))
        return redirect("opendata:matchmaking", number=number)
    matches = encounter.matches.select_related("request__topic", "organization")
    return render(request, "opendata/matchmaking.html", {
        "encounter": encounter, "matches": matches, "organizer": organizer,
        "holders": services.holders_for(encounter) if organizer else [],
        "capacity": services.DEFAULT_CAPACITY})


def demand(request):
    summary = services.demand_summary()
    return render(request, "opendata/demand.html", {
        "s": summary, "topic_chart": charts.bars(summary["by_topic"], _("Requests")),
        "month_chart": charts.months(summary["by_month"])})


def demand_csv(request):
    summary = services.demand_summary()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="demanda-de-datos.csv"'
    response.write("\ufeff")
    w = csv.writer(response)
    w.writerow(["dimension", "key", "label", "total", "pending", "satisfied"])
    for dim in ("by_topic", "by_agency"):
        for row in summary[dim]:
            w.writerow([dim, row["key"] or "", spreadsheet_safe(str(row["label"])), row["total"],
                        row["pending"], row["satisfied"]])
    for row in summary["by_sector"]:
        w.writerow(["by_sector", row["key"] or "", spreadsheet_safe(row["label"]), row["total"],
                    "", ""])
    for row in summary["by_month"]:
        w.writerow(["by_month", row["month"], row["month"], row["total"], "", ""])
    return response


# --- The platform's own open data ------------------------------------------------------------

def open_data_index(request):
    from . import publication

    return render(request, "opendata/open_data.html", {
        "resources": publication.resources(), "formats": publication.FORMATS})


def open_data_file(request, name, fmt):
    from django.http import Http404

    from . import publication

    res = publication.get(name)
    if res is None or fmt not in publication.RENDER:
        raise Http404
    render_func, content_type = publication.RENDER[fmt]
    response = HttpResponse(render_func(res), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def open_data_package(request):
    from django.http import JsonResponse

    from . import publication

    base = request.build_absolute_uri(reverse("opendata:open_data"))
    return JsonResponse(publication.datapackage(base), json_dumps_params={
        "ensure_ascii": False, "indent": 1})


def open_data_dcat(request):
    from django.http import JsonResponse

    from . import publication

    base = request.build_absolute_uri(reverse("opendata:open_data"))
    response = JsonResponse(publication.dcat_catalog(base, request.build_absolute_uri("/")),
                            json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Type"] = "application/ld+json"
    return response


def open_data_zip(request):
    from . import publication

    response = HttpResponse(publication.bundle(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="encuentros-datos-abiertos.zip"'
    return response


@login_required
def catalog_import(request):
    """Import a CKAN / DCAT / data.json catalog in the background (administrators)."""
    if not request.user.has_perm("opendata.add_dataset"):
        raise PermissionDenied
    form = CatalogImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        name = data["catalog"] or (data["url"] or data["file"].name)[:200]
        stored = tasks.stash_upload(data["file"]) if data["file"] else ""
        record = start(tasks.import_catalog_task, name, stored_name=stored, url=data["url"],
                       label=_("Catalog import: %(name)s") % {"name": name}, owner=request.user)
        return follow_task(request, record, (record.return_value or {}).get("message"))
    return render(request, "opendata/catalog_import.html", {"form": form})
