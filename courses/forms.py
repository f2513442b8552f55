"""Form fields higher layers use to let a teacher pick a lesson."""

from django import forms
from django.forms.models import ModelChoiceIterator

from .selectors import courses_of_lessons


class LessonChoiceIterator(ModelChoiceIterator):
    """Reads the lessons, then all their courses in one more query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        lessons = list(self.queryset)
        courses = courses_of_lessons(lessons)
        for lesson in lessons:
            lesson.course = courses.get(lesson.pk)
            yield self.choice(lesson)


class LessonChoiceField(forms.ModelChoiceField):
    """
    A lesson picker whose options name the course ("Toán 6 — Bài 1. Phân số
    là gì?"), so two lessons of the same title in different courses can be
    told apart.
    """

    iterator = LessonChoiceIterator

    def label_from_instance(self, obj):
        course = getattr(obj, "course", None)
        return f"{course.title} — {obj.title}" if course else obj.title
