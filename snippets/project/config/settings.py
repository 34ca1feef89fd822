"""Settings for the demo: no database, no middleware, loopback only."""

SECRET_KEY = "demo-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = ["channels", "demo"]
MIDDLEWARE = []
ROOT_URLCONF = "config.urls"
DATABASES = {}

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
USE_TZ = True
