pip install 'uvicorn[standard]'   # uvloop + httptools + websockets; plain `uvicorn` is pure Python
uvicorn config.asgi:application --workers 4 --limit-concurrency 200 --host 127.0.0.1 --port 8000
