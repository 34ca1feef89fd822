gunicorn config.wsgi:application --workers 4 --bind 0.0.0.0:8000
