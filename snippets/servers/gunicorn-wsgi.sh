gunicorn config.wsgi:application --workers 4 --bind 127.0.0.1:8000
