"""The `encuentros` command: django-admin preset with our settings."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "encuentros.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    finally:
        _forget_public_pages()


def _forget_public_pages() -> None:
    """A command may have written in bulk (imports, the demo, a restore) without the signals
    that keep the cached public pages current: mark them stale (core/pagecache.py)."""
    from django.apps import apps

    if not apps.ready:
        return
    from django.core.cache import InvalidCacheBackendError

    from encuentros.core import pagecache

    try:
        pagecache.bump()
    except (InvalidCacheBackendError, OSError, ConnectionError):
        pass  # no cache reachable: nothing cached to forget


if __name__ == "__main__":
    main()
