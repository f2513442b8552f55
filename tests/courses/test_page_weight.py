"""The light-page budget (issue item 6), kept by a test rather than by eye."""

import io

import pytest
from django.core.files.images import ImageFile

from courses.models import LessonPage
from tests.courses.page_weight import measure, phone_renditions
from tests.factories import CourseImageFactory, LessonPageFactory, make_jpeg, stream

pytestmark = pytest.mark.django_db

TEXT_BUDGET = 60 * 1024
IMAGE_BUDGET = 100 * 1024
PARAGRAPH = (
    "<p>Phân số là số viết dưới dạng a/b, trong đó a và b là các số nguyên, "
    "b khác 0. Số a gọi là tử số, số b gọi là mẫu số. Ví dụ: chiếc bánh chia "
    "thành bốn phần bằng nhau, lấy ba phần thì được ba phần tư chiếc bánh.</p>"
)


def three_image_lesson(course) -> LessonPage:
    images = [
        CourseImageFactory(
            collection=course.collection,
            file=ImageFile(io.BytesIO(make_jpeg(1600, 1200, seed)), name="anh.jpg"),
        )
        for seed in range(3)
    ]
    blocks = [("heading", {"text": "1. Phân số", "level": "h2"})]
    for number, image in enumerate(images, start=1):
        blocks += [("paragraph", PARAGRAPH * 3)]
        blocks += [
            ("image", {"image": image.pk, "alt": "", "caption": f"Hình {number}"})
        ]
    return LessonPageFactory(parent=course, title="Bài nặng nhất", body=stream(*blocks))


@pytest.fixture
def weighed(client, world):
    lesson = three_image_lesson(world.course_a)
    client.force_login(world.S1)
    return measure(client, lesson.url)


def test_html_css_and_js_fit_in_60_kb_compressed(weighed):
    assert weighed.text_total_gzip <= TEXT_BUDGET, weighed
    assert weighed.text_total_brotli <= weighed.text_total_gzip


def test_every_phone_width_rendition_is_under_100_kb(weighed):
    phone = phone_renditions(weighed)
    # Three images, each as WebP and as the JPEG fallback.
    assert len(phone) == 6
    for url, (_width, size, _mime) in phone.items():
        assert size <= IMAGE_BUDGET, (url, size)
    assert {mime for _w, _s, mime in phone.values()} == {"image/webp", "image/jpeg"}


def test_images_are_responsive_and_lazy_below_the_fold(weighed):
    images = weighed.images
    assert len(images) == 3
    assert all(img.get("srcset") and img.get("width") for img in images)
    # Each image follows a heading and a long paragraph: below the fold.
    assert [img["loading"] for img in images] == ["lazy", "lazy", "lazy"]
    sources = weighed.renditions
    assert any(mime == "image/webp" for _w, _s, mime in sources.values())


def test_an_image_at_the_top_of_a_lesson_loads_eagerly(world):
    from courses.templatetags.lesson_images import lesson_picture

    image = CourseImageFactory(collection=world.course_a.collection)
    assert 'loading="eager"' in lesson_picture(image, "", 1)
    assert 'loading="lazy"' in lesson_picture(image, "", 3)
    assert '<source type="image/webp"' in lesson_picture(image, "", 3)


def test_lesson_reads_without_javascript(client, world):
    lesson = three_image_lesson(world.course_a)
    client.force_login(world.S1)
    html = client.get(lesson.url).content.decode()
    assert "Phân số là số viết dưới dạng a/b" in html
    assert html.count("<img ") == 3
    # The only script is the optional self-check helper, deferred.
    assert html.count("<script") == html.count(" defer></script>")
