from demo import views
from django.urls import path

urlpatterns = [
    path("io/sync", views.io_sync),
    path("io/async", views.io_async),
    path("io/async-blocking", views.io_async_blocking),
    path("cpu/sync", views.cpu_sync),
    path("cpu/async", views.cpu_async),
    path("sse", views.sse),
]
