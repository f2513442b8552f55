import factory
from django.utils import timezone

from live.models import LiveSession, SessionStatus

from .classrooms import ClassroomFactory

__all__ = ["LiveSessionFactory"]


class LiveSessionFactory(factory.django.DjangoModelFactory):
    """Prefer ``live.rooms.services.create_session``/``open_session`` in flow tests."""

    class Meta:
        model = LiveSession

    classroom = factory.SubFactory(ClassroomFactory)
    title = factory.Sequence(lambda n: f"Toán — buổi {n}")
    scheduled_at = factory.LazyFunction(timezone.now)
    status = SessionStatus.LIVE
