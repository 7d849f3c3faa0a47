"""pytest plugin (loaded by `-p encuentros.testing` in pyproject.toml) that sets the test
environment before Django reads its settings: background tasks run inside the request (the
immediate mode of core.tasks.DatabaseBackend), the cache is per-process memory, and rate limits
are off (tests/core/test_ratelimit.py turns them on). Values already set in the environment win."""

import os

os.environ.setdefault("TASKS_IMMEDIATE", "1")
os.environ.setdefault("CACHE_URL", "locmem://")
os.environ.setdefault("RATELIMIT_ENABLED", "0")
# Public pages are read fresh in tests (many change data without signals, then read the page);
# tests/core/test_pagecache.py turns the cache on.
os.environ.setdefault("PUBLIC_PAGE_CACHE_SECONDS", "0")
