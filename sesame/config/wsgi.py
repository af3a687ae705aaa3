"""WSGI entry point (gunicorn sesame.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sesame.config.settings")
application = get_wsgi_application()
