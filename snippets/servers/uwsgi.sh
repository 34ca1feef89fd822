pip install pyuwsgi
uwsgi --http-socket 127.0.0.1:8000 --module config.wsgi:application --master --processes 4 --threads 4 --listen 1024 --die-on-term --need-app
