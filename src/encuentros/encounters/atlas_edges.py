"""Ties the encounters app gives the ecosystem atlas: co-attendance and shared tables."""

from itertools import combinations

import numpy as np
from django.utils.translation import gettext_lazy as _

from encuentros.ecosystem.atlas import Ties, edge_source

from .models import Registration, Seat

# Above this many organizations at one encounter, co-attendance alone says little and its
# clique would dominate the graph; the tables people actually shared still count.
COATTENDANCE_MAX_ORGS = 150


@edge_source("co_attendance", _("attended the same encounter"), models=(Registration,))
def co_attendance() -> Ties:
    by_encounter: dict[int, set[int]] = {}
    rows = (Registration.objects.filter(status=Registration.Status.REGISTERED,
                                        organization__isnull=False)
            .values_list("encounter__number", "organization_id").distinct())
    for number, org in rows:
        by_encounter.setdefault(number, set()).add(org)
    org_a, org_b, enc, weight = [], [], [], []
    for number, orgs in by_encounter.items():
        if len(orgs) < 2 or len(orgs) > COATTENDANCE_MAX_ORGS:
            continue
        w = 1.0 / (len(orgs) - 1)  # Newman's weighting: a big room makes weak ties
        for a, b in combinations(sorted(orgs), 2):
            org_a.append(a)
            org_b.append(b)
            enc.append(number)
            weight.append(w)
    return Ties(org_a, org_b, enc, weight)


@edge_source("same_table", _("sat at the same table"), models=(Seat,))
def same_table() -> Ties:
    rows = np.array(list(
        Seat.objects.order_by("plan_id", "round", "table").values_list(
            "plan_id", "round", "table", "registration__person_id",
            "registration__organization_id", "plan__encounter__number")),
        dtype=object).reshape(-1, 6)
    if len(rows) == 0:
        return Ties([], [], [])
    data = np.where(rows == None, 0, rows).astype(np.int64)  # noqa: E711 (object array)
    group = np.unique(data[:, :3], axis=0, return_inverse=True)[1].ravel()
    order = np.argsort(group, kind="stable")
    data, group = data[order], group[order]
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    sizes = np.diff(np.r_[starts, len(group)])
    width = int(sizes.max())
    pad = np.full((len(starts), width), -1, dtype=np.int64)
    offsets = np.arange(len(group)) - np.repeat(starts, sizes)
    pad[np.repeat(np.arange(len(starts)), sizes), offsets] = np.arange(len(group))
    i, j = np.triu_indices(width, 1)
    pa, pb = pad[:, i].ravel(), pad[:, j].ravel()
    ok = (pa >= 0) & (pb >= 0)
    pa, pb = pa[ok], pb[ok]
    return Ties(org_a=data[pa, 4], org_b=data[pb, 4], encounter=data[pa, 5],
                person_a=data[pa, 3], person_b=data[pb, 3])
