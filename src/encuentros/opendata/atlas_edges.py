"""Ties of open data for the atlas: a data request between the requester's organization and the
agency asked (or matched), and a dataset used to answer it."""

from django.utils.translation import gettext_lazy as _

from encuentros.ecosystem.atlas import Ties, edge_source

from .models import DataRequest, Match


@edge_source("data_request", _("asked for data / answered"), models=(DataRequest, Match))
def data_requests() -> Ties:
    org_a, org_b, enc = [], [], []
    rows = DataRequest.objects.exclude(requester__organization=None).values_list(
        "requester__organization_id", "agency_id", "encounter__number", "pk")
    matched = dict(Match.objects.values_list("request_id", "organization_id"))
    for requester_org, agency, number, pk in rows:
        for target in {agency, matched.get(pk)} - {None}:
            org_a.append(requester_org)
            org_b.append(target)
            enc.append(number or 0)
    return Ties(org_a, org_b, enc)
