import datetime

import factory
from django.utils import timezone

from assignments.models import Assignment, Choice, Question, QuestionKind, Quiz

from .accounts import TeacherFactory

__all__ = ["QuizFactory", "QuestionFactory", "ChoiceFactory", "AssignmentFactory"]


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    owner = factory.SubFactory(TeacherFactory)
    title = factory.Sequence(lambda n: f"Kiểm tra 15 phút số {n}")


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    quiz = factory.SubFactory(QuizFactory)
    position = factory.Sequence(lambda n: n)
    kind = QuestionKind.SINGLE
    text = factory.Sequence(lambda n: f"Câu hỏi {n}: 2 + {n} = ?")


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    text = factory.Sequence(lambda n: f"Lựa chọn {n}")
    is_correct = False


class AssignmentFactory(factory.django.DjangoModelFactory):
    """
    Unpublished homework for ``classrooms`` (a list). Prefer
    ``assignments.services.create_assignment`` when the test is about the
    creation rules.
    """

    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Bài tập về nhà số {n}")
    instructions = "<p>Làm bài 1, 2, 3 trang 45.</p>"
    due_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=3))
    is_published = True
    points = 10

    @factory.post_generation
    def classrooms(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.classrooms.set(extracted)
