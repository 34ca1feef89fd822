# Only Daphne reads this: it sizes the loop's *default* executor.
# Django's sync views and ORM calls under ASGI use per-request threads and ignore it.
ASGI_THREADS=4 daphne config.asgi:application
