"""Production settings plus one extra URL: the minimal view throughput is measured against."""

from contactsessions.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
