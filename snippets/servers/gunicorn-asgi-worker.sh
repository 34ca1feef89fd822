# Gunicorn's own ASGI worker (stable since 25.1)
gunicorn config.asgi:application --workers 4 --worker-class asgi --bind 127.0.0.1:8000
