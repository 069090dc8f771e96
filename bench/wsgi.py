"""The benchmark's WSGI application: the production app, plus a bare view beside it.

``/bench/bare/`` is the ceiling throughput is measured against: a minimal Django view
with no middleware at all, served by the same gunicorn workers as the app. Every
other path, ``/bench/minimal/`` included (the same view through the full middleware
stack), goes to the production application.
"""

import os

from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application
from django.test.utils import override_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
app = get_wsgi_application()

with override_settings(MIDDLEWARE=[]):
    bare = WSGIHandler()
BARE_PATH = "/bench/bare/"


def application(environ, start_response):
    if environ.get("PATH_INFO") == BARE_PATH:
        return bare(environ, start_response)
    return app(environ, start_response)
