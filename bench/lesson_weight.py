"""
What a phone downloads for one lesson with text and three photos.

    .venv/bin/python bench/lesson_weight.py

It builds a throwaway SQLite database in a temporary directory (migrations
included), one private course with a lesson holding a heading, three long
paragraphs and three 1600×1200 camera-like JPEGs, logs an enrolled student in
with Django's test client, fetches the lesson and every CSS/JS file and
image rendition it references, and prints the sizes: HTML+CSS+JS gzip (-6)
and Brotli, and each rendition by width and format. Budgets (issue 3 item 6):
text ≤ 60 KB compressed, each phone-width rendition ≤ 100 KB. Exit code 1 if
a budget is broken. Nothing is left behind.
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT_BUDGET = 60 * 1024
IMAGE_BUDGET = 100 * 1024


def main() -> int:
    workdir = tempfile.mkdtemp(prefix="lophoc-weight-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    os.environ["LOPHOC_VAR_DIR"] = workdir
    os.environ["LOPHOC_MEDIA_ROOT"] = str(Path(workdir) / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    sys.path.insert(0, str(ROOT))
    try:
        return _run()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    setup_test_environment()
    call_command("migrate", verbosity=0)

    from classrooms.services import enroll_student
    from courses import services
    from tests.courses.page_weight import measure, phone_renditions
    from tests.courses.test_page_weight import three_image_lesson
    from tests.factories import (
        ClassroomFactory,
        CourseIndexPageFactory,
        StudentFactory,
        TeacherFactory,
    )

    teacher, student = TeacherFactory(), StudentFactory()
    classroom = ClassroomFactory(homeroom_teacher=teacher)
    enroll_student(classroom=classroom, student=student)
    course = services.create_course(
        index=CourseIndexPageFactory(),
        title="Toán 6",
        subject="math",
        grade=6,
        teachers=[teacher],
    )
    classroom.courses.add(course)
    lesson = three_image_lesson(course)
    client = Client()
    client.force_login(student)
    weight = measure(client, lesson.url)

    kb = 1024
    print("Lesson with text and three 1600x1200 photos, as an enrolled student")
    print(
        f"  HTML           raw {weight.html_raw / kb:6.1f} KB, gzip "
        f"{weight.html_gzip / kb:5.1f} KB, brotli {weight.html_brotli / kb:5.1f} KB"
    )
    for url, size in weight.assets_gzip.items():
        print(
            f"  {url:<28} gzip {size / kb:5.1f} KB, brotli "
            f"{weight.assets_brotli[url] / kb:5.1f} KB"
        )
    print(
        f"  HTML+CSS+JS    gzip {weight.text_total_gzip / kb:5.1f} KB, brotli "
        f"{weight.text_total_brotli / kb:5.1f} KB (budget 60 KB)"
    )
    for _url, (width, size, mime) in sorted(
        weight.renditions.items(), key=lambda item: (item[1][0], item[1][2])
    ):
        print(f"  rendition {width:4d}w {mime:<11} {size / kb:6.1f} KB")
    phone = phone_renditions(weight)
    worst = max(size for _w, size, _m in phone.values())
    print(f"  largest phone-width rendition {worst / kb:.1f} KB (budget 100 KB)")
    ok = weight.text_total_gzip <= TEXT_BUDGET and worst <= IMAGE_BUDGET
    print("  budget:", "OK" if ok else "BROKEN")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
