"""
``/media/``: the image files the Wagtail admin shows are served to admin
users who may see the course, and to nobody else (``courses.views.media_file``).
"""

import re

import pytest
from django.urls import reverse

from tests.factories import CourseImageFactory, ParentLinkFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def admin_thumbnails(client) -> list[str]:
    html = client.get(reverse("wagtailimages:index")).content.decode()
    return re.findall(r'<img[^>]+src="(/media/[^"]+)"', html)


def test_thumbnails_the_admin_shows_load_for_the_teacher(client, world):
    client.force_login(world.T2)
    thumbnails = admin_thumbnails(client)
    assert thumbnails
    for url in thumbnails:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("image/")
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
        assert "private" in response["Cache-Control"]


def test_private_image_files_are_not_readable_anonymously(client, world):
    client.force_login(world.T2)
    thumbnail = admin_thumbnails(client)[0]
    client.logout()
    original = world.image_b.file.url
    assert original.startswith("/media/original_images/")
    for url in (thumbnail, original):
        assert client.get(url).status_code == 404, url


def test_other_teachers_and_their_pupils_cannot_read_a_course_image(client, world):
    original = world.image_b.file.url
    for outsider in (world.T1, world.S1, world.P1, TeacherFactory()):
        client.force_login(outsider)
        assert client.get(original).status_code == 404, outsider.username


def test_pupils_and_parents_never_read_image_files_there(client, world):
    """They see lesson images through the signed ``courses:image`` URLs."""
    ParentLinkFactory(parent=world.P1, student=world.S3)
    for reader in (world.S3, world.P1):
        client.force_login(reader)
        assert client.get(world.image_b.file.url).status_code == 404


def test_images_outside_any_course_are_for_admin_users_only(client, world):
    image = CourseImageFactory()
    client.force_login(world.T1)
    response = client.get(image.file.url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    client.logout()
    assert client.get(image.file.url).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "documents/phieu.pdf",
        "original_images/../../lophoc.sqlite3",
        "../settings.py",
        "nothing-here.jpg",
    ],
)
def test_anything_but_an_image_file_is_a_404(client, world, path):
    client.force_login(world.T2)
    assert client.get(f"/media/{path}").status_code == 404


def test_a_document_file_is_only_served_through_its_checked_view(client, world):
    client.force_login(world.T2)
    assert client.get(world.document_b.file.url).status_code == 404
    assert client.get(world.document_b.url).status_code == 200


def test_profile_pictures_are_shown_to_admin_users_only(client, world):
    from django.core.files.base import ContentFile
    from wagtail.users.models import UserProfile

    from tests.factories import make_jpeg

    profile = UserProfile.get_for_user(world.T1)
    profile.avatar.save("co-lan.jpg", ContentFile(make_jpeg(200, 200)))
    url = profile.avatar.url
    client.force_login(world.T2)
    response = client.get(url)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    for outsider in (world.S1, world.P1):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
