# 2 processes x 4 threads: up to 8 requests at once, with keep-alive
gunicorn config.wsgi:application --workers 2 --threads 4 --bind 127.0.0.1:8000
