from django.urls import path

from . import views

app_name = "parents"

urlpatterns = [
    path("children/<id:child_pk>/", views.child_detail, name="child"),
]
