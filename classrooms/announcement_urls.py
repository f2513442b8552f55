from django.urls import path

from . import announcements

app_name = "announcements"

urlpatterns = [
    path("<int:pk>/announcements/", announcements.announcement_list, name="list"),
    path(
        "<int:pk>/announcements/new/",
        announcements.create_announcement,
        name="create",
    ),
    path(
        "announcements/<int:announcement_pk>/attachment/",
        announcements.download_attachment,
        name="attachment",
    ),
]
