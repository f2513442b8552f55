"""Page types: where each may be created, and that each renders."""

from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.models import CourseIndexPage, CoursePage, LessonPage, UnitPage
from tests.factories import (
    CourseIndexPageFactory,
    LessonPageFactory,
    UnitPageFactory,
    ensure_wagtail_tree,
)


class CoursePageTreeTests(WagtailPageTestCase):
    def setUp(self):
        ensure_wagtail_tree()
        self.login()
        self.index = CourseIndexPageFactory(title="Khoá học THCS Nguyễn Du")
        self.course = CoursePage(title="Toán 6", subject="math", grade=6)
        self.index.add_child(instance=self.course)
        self.course.save_revision().publish()

    def test_parent_and_subpage_rules(self):
        self.assertAllowedParentPageTypes(CourseIndexPage, {Page})
        self.assertAllowedSubpageTypes(CourseIndexPage, {CoursePage})
        self.assertAllowedParentPageTypes(CoursePage, {CourseIndexPage})
        self.assertAllowedSubpageTypes(CoursePage, {UnitPage, LessonPage})
        self.assertAllowedParentPageTypes(UnitPage, {CoursePage})
        self.assertAllowedParentPageTypes(LessonPage, {CoursePage, UnitPage})
        self.assertAllowedSubpageTypes(LessonPage, set())

    def test_pages_can_be_created_only_where_allowed(self):
        self.assertCanCreateAt(Page, CourseIndexPage)
        self.assertCanCreateAt(CourseIndexPage, CoursePage)
        self.assertCanCreateAt(CoursePage, UnitPage)
        self.assertCanCreateAt(CoursePage, LessonPage)
        self.assertCanCreateAt(UnitPage, LessonPage)
        self.assertCanNotCreateAt(CourseIndexPage, LessonPage)
        self.assertCanNotCreateAt(Page, LessonPage)
        self.assertCanNotCreateAt(LessonPage, LessonPage)

    def test_course_can_be_created_through_the_admin_form(self):
        self.assertCanCreate(
            self.index,
            CoursePage,
            nested_form_data(
                {
                    "title": "Ngữ văn 6",
                    "slug": "ngu-van-6",
                    "subject": "literature",
                    "grade": 6,
                    "description": rich_text("<p>Đọc hiểu văn bản.</p>"),
                }
            ),
        )

    def test_lesson_with_every_text_block_can_be_created(self):
        body = streamfield(
            [
                ("heading", {"text": "1. Khái niệm", "level": "h2"}),
                ("paragraph", rich_text("<p>Phân số là gì?</p>")),
                ("math", {"latex": r"\frac{1}{2}", "display": True}),
                (
                    "callout",
                    {"kind": "note", "text": rich_text("<p>Mẫu khác 0.</p>")},
                ),
                ("homework", {"assignment_id": 7, "label": "Làm bài"}),
            ]
        )
        self.assertCanCreate(
            self.course,
            LessonPage,
            nested_form_data(
                {"title": "Bài 1", "slug": "bai-1", "summary": "", "body": body}
            ),
        )

    def test_lesson_with_invalid_latex_still_saves_through_the_form(self):
        body = streamfield([("math", {"latex": r"\frac{1}{", "display": True})])
        self.assertCanCreate(
            self.course,
            LessonPage,
            nested_form_data(
                {"title": "Bài lỗi", "slug": "bai-loi", "summary": "", "body": body}
            ),
        )
        lesson = LessonPage.objects.get(slug="bai-loi")
        self.assertEqual(lesson.body[0].value["latex"], r"\frac{1}{")

    def test_each_page_type_renders(self):
        unit = UnitPageFactory(parent=self.course, title="Chương 1")
        lesson = LessonPageFactory(parent=unit)
        for page in (self.index, self.course, unit, lesson):
            self.assertPageIsRenderable(page)

    def test_course_index_is_under_the_site_root(self):
        site_root = Site.objects.get(is_default_site=True).root_page
        self.assertEqual(self.index.get_parent().pk, site_root.pk)
