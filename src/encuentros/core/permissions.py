"""Roles: participant (any account), organizer (per encounter), admin (superuser)."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def is_admin(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def can_create_encounters(user) -> bool:
    return is_admin(user) or bool(
        user.is_authenticated and user.has_perm("encounters.add_encounter")
    )


def is_organizer(user, encounter) -> bool:
    """Organizers of an encounter manage it; admins manage every encounter."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_admin(user):
        return True
    return encounter.organizers.filter(pk=user.pk).exists()
