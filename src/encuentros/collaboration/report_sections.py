"""The follow-up section of the encounter report (evaluation app): what came of it."""

from django.utils.translation import gettext as _

from encuentros.evaluation.report import ReportSection, report_section

from . import services


@report_section
def follow_up(encounter):
    lineage = services.lineage(encounter)
    if not (lineage.proposals or lineage.tables or lineage.agreements or lineage.commitments
            or lineage.initiatives):
        return ReportSection(title=_("What came of it"),
                             unknown=_("No proposals, tables, agreements, commitments or "
                                       "initiatives are recorded for this encounter."))
    s = lineage.summary
    return ReportSection(
        title=_("What came of it"),
        rows=[(_("Public proposals"), len(lineage.proposals)),
              (_("Collaborative tables"), len(lineage.tables)),
              (_("Agreements"), len(lineage.agreements)),
              (_("Commitments"), s["total"]), (_("Completed"), s["completed"]),
              (_("Overdue"), s["overdue"]), (_("Average progress"), f"{s['progress']} %")],
        items=[f"{i.name} — {i.get_status_display()}" for i in lineage.initiatives])
