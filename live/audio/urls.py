from django.urls import path

from . import views

urlpatterns = [
    path("<id:session_id>/recording/", views.recording, name="recording"),
]
