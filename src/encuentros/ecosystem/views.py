"""Public pages of the ecosystem: directory, organization pages and the atlas."""

import csv

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from encuentros.core import tasks as core_tasks
from encuentros.core.sectors import Sector
from encuentros.core.text import spreadsheet_safe

from . import atlas, charts, directory, tasks
from .models import Organization, Topic


def _filters(request):
    return {
        "sectors": Sector.choices, "kinds": Organization.Kind.choices,
        "topics": Topic.objects.order_by("name"),
        "values": {k: request.GET.get(k, "") for k in ("q", "sector", "kind", "topic",
                                                        "borough")},
    }


def organization_list(request):
    page = directory.organizations_page(request.GET, request.GET.get("page"))
    return render(request, "ecosystem/organization_list.html",
                  {"page": page, **_filters(request)})


def organization_detail(request, slug):
    org = get_object_or_404(Organization.objects.select_related("parent")
                            .prefetch_related("topics", "children"), slug=slug)
    node = (atlas.metrics().get("node_metrics", {}).get(org.pk)
            if tasks.ensure(graph=False) is None else None)
    public_people = org.people.filter(public_profile=True).order_by("full_name")
    return render(request, "ecosystem/organization_detail.html", {
        "org": org, "participation": directory.participation(org), "node": node,
        "people": public_people, "sections": directory.sections_for(org),
    })


def people_list(request):
    page = directory.people_page(request.GET, request.GET.get("page"))
    return render(request, "ecosystem/people_list.html", {"page": page, **_filters(request)})


def atlas_page(request):
    level = request.GET.get("level") if request.GET.get("level") == "person" else "organization"
    pending = tasks.ensure(level, graph=False)
    if pending is not None:  # a cold, large atlas: the worker computes it; the page follows it
        done, total, message = core_tasks.progress_of(pending)
        return render(request, "ecosystem/atlas_pending.html", {
            "level": level, "record": pending, "done": done, "total": total,
            "message": message, "percent": core_tasks.percent(pending)}, status=202)
    data = atlas.metrics(level)
    return render(request, "ecosystem/atlas.html", {
        "level": level, "metrics": data, "kinds": atlas.kinds(),
        "encounters": [e["encounter"] for e in data["by_encounter"]],
        "chart": charts.cross_sector_chart(data["by_encounter"]),
        "growth_chart": charts.growth_chart(data["by_encounter"]),
        **_filters(request),
    })


def _csv(rows, header, filename):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(v) if isinstance(v, str) else v for v in row])
    return response


def _pending(record):
    response = HttpResponse(_("The atlas is being computed; try again in a minute."),
                            status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "30"
    return response


def atlas_nodes_csv(request):
    level = "person" if request.GET.get("level") == "person" else "organization"
    if (pending := tasks.ensure(level, graph=False)) is not None:
        return _pending(pending)
    data = atlas.graph_json(level, with_layout=False)
    return _csv(([n["id"], n["label"], n["sector"], n.get("degree", 0),
                  round(n.get("betweenness", 0), 6), n.get("community", -1)]
                 for n in data["nodes"]),
                ["id", "label", "sector", "degree", "betweenness", "community"],
                f"atlas-{level}-nodes.csv")


def atlas_edges_csv(request):
    level = "person" if request.GET.get("level") == "person" else "organization"
    if (pending := tasks.ensure(level, graph=False)) is not None:
        return _pending(pending)
    data = atlas.graph_json(level, with_layout=False)
    return _csv(([e["source"], e["target"], e["weight"], ";".join(sorted(e["kinds"])),
                  e["first_encounter"] or "", int(e["cross_sector"])] for e in data["edges"]),
                ["source", "target", "weight", "kinds", "first_encounter", "cross_sector"],
                f"atlas-{level}-edges.csv")


