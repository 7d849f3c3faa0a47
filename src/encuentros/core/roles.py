"""The organizers group: staff who create encounters and manage the ones they organize."""

from django.contrib.auth.models import Group, Permission

ORGANIZERS_GROUP = "Organizers"

ORGANIZER_PERMISSIONS = {
    "encounters": ["encounter", "agendaitem", "registration", "venue", "reportedattendance"],
    "ecosystem": ["organization", "person", "topic"],
    "collaboration": ["challenge", "initiative", "collaborativetable", "agreement", "commitment",
                      "milestone", "tablemember", "tablesession"],
    "opendata": ["dataset", "datarequest", "match"],
    "evaluation": ["survey", "question"],
}


def organizers_group() -> Group:
    group, _ = Group.objects.get_or_create(name=ORGANIZERS_GROUP)
    perms = Permission.objects.filter(
        content_type__app_label__in=list(ORGANIZER_PERMISSIONS),
        codename__regex=r"^(add|change|view)_",
    )
    wanted = [p for p in perms
              if p.codename.split("_", 1)[1] in ORGANIZER_PERMISSIONS[p.content_type.app_label]]
    group.permissions.add(*wanted)
    return group


def make_organizer(user) -> None:
    """Give an account the organizer role: staff access and the organizers' permissions."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.groups.add(organizers_group())
