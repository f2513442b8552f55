"""Keep Wagtail's view restrictions in step with a course's public flag."""

from django.dispatch import receiver
from wagtail.signals import page_published

from .models import CoursePage
from .services import sync_course_privacy


@receiver(page_published)
def sync_privacy_on_publish(sender, instance, **kwargs):
    if isinstance(instance, CoursePage):
        sync_course_privacy(course=instance)
