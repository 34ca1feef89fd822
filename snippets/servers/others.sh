daphne -b 127.0.0.1 -p 8000 config.asgi:application            # one process, no --workers
hypercorn --workers 4 --bind 127.0.0.1:8000 config.asgi:application
hypercorn --quic-bind 127.0.0.1:4433 --certfile cert.pem --keyfile key.pem config.asgi:application  # HTTP/3, needs hypercorn[h3]
waitress-serve --threads 8 --listen 127.0.0.1:8000 config.wsgi:application   # default --threads is 4
