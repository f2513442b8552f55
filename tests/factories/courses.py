import io
import json

import factory
import wagtail_factories
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.models import Page, Site

from courses.models import CourseIndexPage, LessonPage, UnitPage

__all__ = [
    "CourseIndexPageFactory",
    "UnitPageFactory",
    "LessonPageFactory",
    "CourseImageFactory",
    "CourseDocumentFactory",
    "make_jpeg",
    "ensure_wagtail_tree",
    "stream",
]


def make_jpeg(width: int = 1600, height: int = 1200, seed: int = 0) -> bytes:
    """
    A camera-like JPEG with detail at every scale (a Mandelbrot channel,
    blotchy upscaled noise, a gradient), so renditions weigh what photos do.
    """
    extent = (-2.0 + seed * 0.1, -1.2, 0.8 + seed * 0.1, 1.2)
    fractal = PILImage.effect_mandelbrot((width, height), extent, 100)
    blotches = PILImage.effect_noise((width // 8, height // 8), 60 + seed * 5)
    blotches = blotches.resize((width, height), PILImage.Resampling.BICUBIC)
    gradient = PILImage.linear_gradient("L").resize((width, height))
    image = PILImage.merge("RGB", (fractal, blotches, gradient))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def ensure_wagtail_tree() -> Page:
    """
    The rows Wagtail's migrations create (default locale, root page, default
    site, root collection), recreated if missing. Transactional (browser)
    tests flush the database; with ``--reuse-db`` the next run would find
    none of them. Returns the default site's root page.
    """
    from django.conf import settings
    from wagtail.models import Collection, Locale

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site:
        return site.root_page
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root")
    )
    home = root.add_child(instance=Page(title="Lophoc", slug="lophoc"))
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True
    )
    return home


def stream(*blocks: tuple[str, object]) -> str:
    """Raw StreamField JSON from ``(block_type, value)`` pairs."""
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CourseIndexPage

    title = factory.Sequence(lambda n: f"Trường THCS Số {n}: các khoá học")
    parent = factory.LazyFunction(ensure_wagtail_tree)


class UnitPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = UnitPage

    title = factory.Sequence(lambda n: f"Chương {n}")


class LessonPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Bài {n}: Phân số")
    summary = "Làm quen với phân số."
    body = factory.LazyFunction(
        lambda: stream(("paragraph", "<p>Phân số có tử số và mẫu số.</p>"))
    )


class CourseImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Hình {n}")
    file = factory.LazyAttribute(
        lambda o: ImageFile(io.BytesIO(make_jpeg(800, 600)), name="hinh.jpg")
    )


class CourseDocumentFactory(wagtail_factories.DocumentFactory):
    title = factory.Sequence(lambda n: f"Phiếu bài tập {n}")
