gunicorn config.wsgi:application --worker-class gthread --workers 4 --threads 8 --bind 0.0.0.0:8000
