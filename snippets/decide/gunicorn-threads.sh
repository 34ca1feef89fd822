gunicorn config.wsgi:application --worker-class gthread --workers 4 --threads 8 --bind 127.0.0.1:8000
