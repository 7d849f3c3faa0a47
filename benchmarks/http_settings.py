"""Settings of the server that benchmarks/http.py starts: the production settings
(encuentros.settings, read from the environment as usual) plus one URL that only the benchmark
has, /__ceiling__ (see http_urls.py), and static files collected apart from the checkout's."""

from encuentros.settings import *  # noqa: F403
from encuentros.settings import VAR_DIR

ROOT_URLCONF = "benchmarks.http_urls"
STATIC_ROOT = VAR_DIR / "bench-static"
