pip install granian
granian --interface wsgi --workers 4 --blocking-threads 8 --host 127.0.0.1 --port 8000 config.wsgi:application
granian --interface asgi --workers 4 --host 127.0.0.1 --port 8000 config.asgi:application
