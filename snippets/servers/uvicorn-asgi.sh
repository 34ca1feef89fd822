uvicorn config.asgi:application --workers 4 --host 127.0.0.1 --port 8000
