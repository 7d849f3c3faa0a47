from django.utils.translation import gettext as _

from encuentros.evaluation.report import ReportSection, report_section

from .models import DataRequest, Match


@report_section
def data_demand(encounter):
    requests = list(DataRequest.objects.filter(encounter=encounter).select_related("agency"))
    if not requests:
        return None
    matches = Match.objects.filter(encounter=encounter).count()
    published = sum(1 for r in requests if r.status == DataRequest.Status.PUBLISHED)
    return ReportSection(
        title=_("Data requests and matchmaking"),
        rows=[(_("Data requests"), len(requests)), (_("Meetings with agencies"), matches),
              (_("Requests already answered with published data"), published)],
        items=[f"{r.title} — {r.get_status_display()}" for r in
               sorted(requests, key=lambda r: -r.votes_count)[:10]])
