# asyncio debug mode logs every step of the event loop that takes longer than 100 ms.
# Use the stdlib loop while you diagnose (uvloop's debug output was not checked).
PYTHONASYNCIODEBUG=1 uvicorn config.asgi:application --loop asyncio
# curl http://127.0.0.1:8000/io/async-blocking?ms=1000 then logs, among others:
# Executing <Task ... RequestResponseCycle.run_asgi() ...> took 1.004 seconds
