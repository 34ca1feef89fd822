pip install gunicorn uvicorn-worker 'uvicorn[standard]'
gunicorn config.asgi:application --workers 4 -k uvicorn_worker.UvicornWorker --bind 127.0.0.1:8000
