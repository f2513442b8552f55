from django.urls import path

from . import deliveries, views

app_name = "parents"

urlpatterns = [
    path("children/<int:child_pk>/", views.child_detail, name="child"),
    path("deliveries/failed/", deliveries.failed_deliveries, name="failed-deliveries"),
    path(
        "deliveries/<int:pk>/retry/",
        deliveries.retry_delivery,
        name="retry-delivery",
    ),
]
