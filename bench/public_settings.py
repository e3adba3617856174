"""Settings of bench/public.py: bench/web_settings.py's (production's, DEBUG off) with the
public benchmark's URLconf."""

from bench.web_settings import *  # noqa: F403

ROOT_URLCONF = "bench.public_urls"
