# The whole test run in asyncio debug mode: every loop step slower than 100 ms is logged.
PYTHONASYNCIODEBUG=1 python manage.py test
