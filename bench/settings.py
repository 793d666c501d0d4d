"""The portal's settings with the bench-only URLconf: same server, same settings, plus a
trivial JSON view to compare the donor API with."""

from clearinghouse.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
