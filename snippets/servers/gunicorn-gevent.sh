pip install gunicorn gevent
gunicorn config.wsgi:application --workers 4 --worker-class gevent --worker-connections 1000 --bind 127.0.0.1:8000
