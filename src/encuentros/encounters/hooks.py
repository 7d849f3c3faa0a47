"""Links other apps add to encounter pages: to a participant's registration page (e.g. the
surveys) with :func:`registration_link`, and to the public encounter page (e.g. survey results,
follow-up) with :func:`encounter_link` — registered in an app's ``registration_links.py``
(discovered at start-up)."""

from django.utils.module_loading import autodiscover_modules

_LINKS = []
_ENCOUNTER_LINKS = []


def encounter_link(func):
    """Register ``func(encounter) -> list[(text, url)]`` for the public encounter page."""
    _ENCOUNTER_LINKS.append(func)
    return func


def encounter_links(encounter) -> list[tuple[str, str]]:
    return [link for func in _ENCOUNTER_LINKS for link in func(encounter)]


def registration_link(func):
    """Register ``func(registration) -> list[(text, url)]``."""
    _LINKS.append(func)
    return func


def autodiscover() -> None:
    autodiscover_modules("registration_links")


def links_for(registration) -> list[tuple[str, str]]:
    return [link for func in _LINKS for link in func(registration)]
