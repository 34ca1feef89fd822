"""ASGI entry point: uvicorn config.asgi:application"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Set Django up before importing anything that uses models or settings.
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter
from demo.consumers import EchoConsumer
from django.urls import path

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # No origin check: the echo uses no cookies. Real apps wrap this in
        # channels.security.websocket.AllowedHostsOriginValidator.
        "websocket": URLRouter([path("ws/echo", EchoConsumer.as_asgi())]),
    }
)
