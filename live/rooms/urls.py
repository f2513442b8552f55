from django.urls import include, path

from . import views

app_name = "live"

urlpatterns = [
    path("", views.session_list, name="list-sessions"),
    path("new/", views.session_create, name="create-session"),
    path("<id:session_id>/", views.room, name="room"),
    path("<id:session_id>/projector/", views.projector, name="projector"),
    path("<id:session_id>/open/", views.session_open, name="open-session"),
    path("<id:session_id>/end/", views.session_end, name="end-session"),
    path("<id:session_id>/ticket/", views.ticket, name="create-ticket"),
    path("<id:session_id>/attendance/", views.attendance, name="attendance"),
    path("calendar/new/", views.calendar_feed_create, name="create-calendar-feed"),
    path("calendar/rotate/", views.calendar_feed_rotate, name="rotate-calendar-feed"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("", include("live.quiz.urls")),
    path("", include("live.audio.urls")),
]
