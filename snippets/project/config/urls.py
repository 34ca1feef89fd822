from demo import views
from django.urls import path
from shop import views as shop_views

urlpatterns = [
    path("io/sync", views.io_sync),
    path("io/async", views.io_async),
    path("io/async-blocking", views.io_async_blocking),
    path("cpu/sync", views.cpu_sync),
    path("cpu/async", views.cpu_async),
    path("sse", views.sse),
    path("db/sync", shop_views.db_sync),
    path("db/async", shop_views.db_async),
    path("db/orders", shop_views.db_orders),
]
