"""ASGI entry point, for servers that speak ASGI (verbind itself needs only WSGI)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "verbind.web.settings")
application = get_asgi_application()
