"""Ties the collaboration app gives the ecosystem atlas: who signed what with whom, and who
worked at the same collaborative table."""

from itertools import combinations

from django.utils.translation import gettext_lazy as _

from encuentros.ecosystem.atlas import Ties, edge_source

from .models import Agreement, Proposal, TableMember


def _pairs(groups: dict) -> Ties:
    org_a, org_b, enc, weight = [], [], [], []
    for (_key, number), orgs in groups.items():
        if len(orgs) < 2:
            continue
        w = 1.0 / (len(orgs) - 1)
        for a, b in combinations(sorted(orgs), 2):
            org_a.append(a)
            org_b.append(b)
            enc.append(number or 0)
            weight.append(w)
    return Ties(org_a, org_b, enc, weight)


@edge_source("co_signed", _("signed the same agreement"), models=(Agreement,))
def co_signed() -> Ties:
    groups: dict = {}
    rows = Agreement.signatories.through.objects.values_list(
        "agreement_id", "agreement__encounter__number", "organization_id")
    for agreement, number, org in rows:
        groups.setdefault((agreement, number), set()).add(org)
    return _pairs(groups)


@edge_source("collaborative_table", _("worked at the same collaborative table"),
             models=(TableMember,))
def collaborative_table() -> Ties:
    groups: dict = {}
    rows = (TableMember.objects.filter(organization__isnull=False)
            .values_list("table_id", "table__encounter__number", "organization_id"))
    for table, number, org in rows:
        groups.setdefault((table, number), set()).add(org)
    return _pairs(groups)


@edge_source("proposal_data", _("a proposal uses the agency's data"), models=(Proposal,))
def proposal_data() -> Ties:
    """The proposal's organization and the agencies holding the data it needs (asked through
    its data requests, or published as the datasets it uses)."""
    org_a, org_b, enc = [], [], []
    proposals = (Proposal.objects.exclude(author_organization=None)
                 .exclude(status=Proposal.Status.DRAFT)
                 .values_list("pk", "author_organization_id", "encounter__number"))
    holders: dict = {}
    for pk, agency in Proposal.data_requests.through.objects.values_list(
            "proposal_id", "datarequest__agency_id"):
        if agency:
            holders.setdefault(pk, set()).add(agency)
    for pk, publisher in Proposal.datasets.through.objects.values_list(
            "proposal_id", "dataset__publisher_id"):
        if publisher:
            holders.setdefault(pk, set()).add(publisher)
    for pk, org, number in proposals:
        for target in holders.get(pk, ()):
            org_a.append(org)
            org_b.append(target)
            enc.append(number or 0)
    return Ties(org_a, org_b, enc)
