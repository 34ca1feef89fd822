import inspect

from django.db.models.query import QuerySet

# The async ORM API as Django 6.1 ships it: each call hands the sync code to a thread.
for method in (QuerySet.aget, QuerySet.acount, QuerySet.__aiter__):
    print(inspect.getsource(method))
