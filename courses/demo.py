"""
Demo content for ``manage.py seed_demo``: Toán 6 and Ngữ văn 6, with lessons
that use the lesson blocks, pictures drawn here with Pillow (nothing is
downloaded), linked to the demo classes; Ngữ văn 6 goes through the "Tổ
trưởng chuyên môn duyệt" moderation workflow. Running it twice changes
nothing.
"""

import io
import json

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFont
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.documents import get_document_model
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.images import get_image_model
from wagtail.models import Site
from wagtail.search.backends import get_search_backend

from . import services
from .blocks import RICH_TEXT_FEATURES
from .models import CourseIndexPage, CoursePage, LessonPage, Subject, UnitPage

WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"
VIDEO_URL = "https://www.youtube.com/watch?v=ysz5S6PUM-U"
VIDEO_HTML = (
    '<iframe width="720" height="405" src="https://www.youtube-nocookie.com/'
    'embed/ysz5S6PUM-U" title="Video" allowfullscreen loading="lazy"></iframe>'
)


def seed(demo, stdout) -> None:
    """Add the two demo courses to ``demo.school`` (a ``DemoSchool``)."""
    name_site()
    index = _course_index(demo.school)
    maths = _course(index, "Toán 6", Subject.MATH, [demo.teachers[0]])
    literature = _course(index, "Ngữ văn 6", Subject.LITERATURE, [demo.teachers[1]])
    for classroom in demo.classrooms:
        classroom.courses.add(maths, literature)
    if not maths.get_children().exists():
        _maths_lessons(maths)
    if not literature.get_children().exists():
        _literature_lessons(literature)
        services.enable_moderation(course=literature, approvers=[demo.teachers[0]])
    backend = get_search_backend()
    for lesson in LessonPage.objects.descendant_of(index):
        backend.add(lesson)
    stdout.write(
        f"Courses: {maths.title}, {literature.title} "
        f"({LessonPage.objects.descendant_of(index).count()} lessons; "
        f"{literature.title} needs the head of department's approval)"
    )


def name_site() -> Site:
    """
    The default site is "Lophoc" (the admin dashboard's title, else it is
    the hostname), and so is its home page while it still has the title
    Wagtail's migrations gave it.
    """
    site = Site.objects.select_related("root_page").get(is_default_site=True)
    site.site_name = settings.WAGTAIL_SITE_NAME
    site.save(update_fields=["site_name"])
    home = site.root_page
    if home.title == WAGTAIL_WELCOME_TITLE:
        home.title = home.draft_title = settings.WAGTAIL_SITE_NAME
        home.save_revision().publish()
    return site


def _course_index(school) -> CourseIndexPage:
    existing = CourseIndexPage.objects.filter(slug=f"khoa-hoc-{school.slug}").first()
    if existing:
        return existing
    root = Site.objects.get(is_default_site=True).root_page
    index = CourseIndexPage(
        title=f"Khoá học · {school.name}", slug=f"khoa-hoc-{school.slug}"
    )
    root.add_child(instance=index)
    index.save_revision().publish()
    return index


def _course(index, title, subject, teachers) -> CoursePage:
    existing = CoursePage.objects.child_of(index).filter(title=title).first()
    if existing:
        return existing.specific
    return services.create_course(
        index=index,
        title=title,
        subject=subject,
        grade=6,
        teachers=teachers,
        description=_rich(
            f"<p>Chương trình {title} theo sách giáo khoa mới.</p>",
            CoursePage.description.field.features,
        ),
    )


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _rich(html: str, features=RICH_TEXT_FEATURES) -> str:
    """
    ``html`` as the page editor itself saves it (``<br/>``, block keys), so
    the editor opens every seeded page and saving it unchanged changes
    nothing. Written by hand, ``<br>`` inside ``<i>`` was a 500 in the editor.
    """
    converter = ContentstateConverter(features)
    return converter.to_database_format(converter.from_database_format(html))


def _stream(*blocks) -> str:
    return json.dumps([{"type": kind, "value": value} for kind, value in blocks])


def _image(course, title, draw_fn) -> int:
    picture = Image.new("RGB", (1200, 800), "#fdfaf3")
    draw_fn(ImageDraw.Draw(picture))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88)
    image = get_image_model()(title=title, collection=course.collection)
    image.file = ImageFile(out, name=f"{title.lower().replace(' ', '-')}.jpg")
    image.save()
    return image.pk


def _worksheet(course, title, lines) -> int:
    sheet = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(sheet)
    draw.text(
        (100, 80),
        title.encode("ascii", "ignore").decode(),
        fill="black",
        font=_font(48),
    )
    for number, line in enumerate(lines):
        y = 200 + number * 160
        draw.text((100, y), line, fill="black", font=_font(40))
        draw.line((100, y + 100, 1140, y + 100), fill="#999999", width=2)
    out = io.BytesIO()
    sheet.save(out, "PDF", resolution=150)
    document = get_document_model()(title=title, collection=course.collection)
    document.file = ContentFile(out.getvalue(), name="phieu-bai-tap.pdf")
    document.save()
    return document.pk


def _video_embed() -> str:
    Embed.objects.get_or_create(
        hash=get_embed_hash(VIDEO_URL, 720),
        defaults={
            "url": VIDEO_URL,
            "max_width": 720,
            "type": "video",
            "html": VIDEO_HTML,
            "title": "Phân số",
            "provider_name": "YouTube",
            "width": 720,
            "height": 405,
        },
    )
    return VIDEO_URL


def _font(size: int = 56):
    # Pillow's bundled font, scaled: readable labels without any font files.
    return ImageFont.load_default(size=size)


def _draw_pie(draw):
    draw.pieslice(
        (300, 100, 900, 700), 0, 270, fill="#0b6bcb", outline="black", width=6
    )
    draw.pieslice(
        (300, 100, 900, 700), 270, 360, fill="#ffffff", outline="black", width=6
    )
    draw.text((555, 715), "3/4", fill="black", font=_font())


def _draw_number_line(draw):
    draw.line((100, 400, 1100, 400), fill="black", width=6)
    for step in range(5):
        x = 100 + step * 250
        draw.line((x, 370, x, 430), fill="black", width=6)
        draw.text((x - 40, 450), f"{step}/4", fill="black", font=_font())
    draw.ellipse((835, 385, 865, 415), fill="#b91c1c")


def _draw_bars(draw):
    for row, parts in enumerate((3, 6)):
        top = 200 + row * 250
        width = 900 // parts
        for part in range(parts):
            filled = part < parts * 2 // 3
            box = (150 + part * width, top, 150 + (part + 1) * width, top + 150)
            draw.rectangle(
                box, fill="#17803d" if filled else "white", outline="black", width=5
            )


def _draw_river(draw):
    draw.rectangle((0, 0, 1200, 420), fill="#bfe3ff")
    draw.ellipse((900, 60, 1060, 220), fill="#ffd23f")
    draw.polygon([(0, 800), (0, 560), (1200, 480), (1200, 800)], fill="#3d8bd9")
    for x in range(80, 500, 70):
        draw.line((x, 700, x + 20, 260), fill="#2f6b2f", width=14)
        draw.ellipse((x - 30, 230, x + 70, 300), fill="#4caf50")


def _self_check(question, options, explanation):
    return {
        "question": question,
        "options": [{"text": text, "correct": ok} for text, ok in options],
        "explanation": _rich(f"<p>{explanation}</p>"),
    }


def _maths_lessons(course):
    unit = _publish(
        course, UnitPage(title="Chương 1. Phân số", summary="Khái niệm, so sánh.")
    )
    pie = _image(course, "Chiếc bánh ba phần tư", _draw_pie)
    line = _image(course, "Trục số phân số", _draw_number_line)
    bars = _image(course, "Phân số bằng nhau", _draw_bars)
    worksheet = _worksheet(
        course, "Phieu bai tap phan so", ["1) 1/2 = ?/4", "2) 3/4 > 2/3 ?"]
    )
    _publish(
        unit,
        LessonPage(
            title="Bài 1. Khái niệm phân số",
            summary="Phân số là gì, tử số và mẫu số.",
            body=_stream(
                ("heading", {"text": "1. Phân số là gì?", "level": "h2"}),
                (
                    "paragraph",
                    _rich(
                        "<p>Chia một chiếc bánh thành 4 phần bằng nhau, lấy 3 phần: ta được <b>ba phần tư</b> chiếc bánh.</p>"
                    ),
                ),
                (
                    "image",
                    {
                        "image": pie,
                        "alt": "Hình tròn tô màu ba phần tư",
                        "caption": "Hình 1. Ba phần tư chiếc bánh",
                    },
                ),
                ("math", {"latex": r"\frac{a}{b}, \quad b \neq 0", "display": True}),
                (
                    "callout",
                    {
                        "kind": "note",
                        "text": _rich("<p>Mẫu số luôn <b>khác 0</b>.</p>"),
                    },
                ),
                (
                    "video",
                    {"video": _video_embed(), "caption": "Video: phân số là gì?"},
                ),
                (
                    "image",
                    {
                        "image": line,
                        "alt": "Trục số từ 0 đến 1",
                        "caption": "Hình 2. Phân số trên trục số",
                    },
                ),
                (
                    "self_check",
                    _self_check(
                        "Điểm đỏ trên trục số là phân số nào?",
                        [("3/4", True), ("1/4", False), ("4/3", False)],
                        "Từ 0 đến 1 chia 4 phần, điểm đỏ ở vạch thứ 3.",
                    ),
                ),
                (
                    "attachment",
                    {"document": worksheet, "label": "Phiếu bài tập phân số (PDF)"},
                ),
                ("homework", {"assignment_id": 1, "label": "Làm bài tập về nhà bài 1"}),
            ),
        ),
    )
    _publish(
        unit,
        LessonPage(
            title="Bài 2. Phân số bằng nhau",
            summary="Tính chất cơ bản của phân số.",
            body=_stream(
                ("heading", {"text": "1. Nhận biết phân số bằng nhau", "level": "h2"}),
                (
                    "paragraph",
                    _rich("<p>Hai phân số a/b và c/d bằng nhau nếu a·d = b·c.</p>"),
                ),
                (
                    "image",
                    {
                        "image": bars,
                        "alt": "Hai thanh: 2/3 và 4/6",
                        "caption": "Hình 3. 2/3 = 4/6",
                    },
                ),
                (
                    "math",
                    {
                        "latex": r"\frac{2}{3} = \frac{2 \cdot 2}{3 \cdot 2} = \frac{4}{6}",
                        "display": True,
                    },
                ),
                ("math", {"latex": r"\frac{1}{", "display": True}),
                (
                    "callout",
                    {
                        "kind": "warning",
                        "text": _rich(
                            "<p>Công thức ở trên cố ý viết sai để minh hoạ cách Lophoc báo lỗi mà không làm hỏng trang.</p>"
                        ),
                    },
                ),
                (
                    "self_check",
                    _self_check(
                        "Phân số nào bằng 1/2?",
                        [("2/4", True), ("2/3", False)],
                        "Nhân cả tử và mẫu của 1/2 với 2.",
                    ),
                ),
            ),
        ),
    )


def _literature_lessons(course):
    river = _image(course, "Dòng sông quê", _draw_river)
    worksheet = _worksheet(
        course,
        "Phieu doc hieu ca dao",
        ["1) Tim hinh anh so sanh", "2) Cam nghi cua em"],
    )
    _publish(
        course,
        LessonPage(
            title="Bài 1. Ca dao về quê hương",
            summary="Đọc hiểu những câu ca dao về cảnh đẹp quê hương.",
            body=_stream(
                ("heading", {"text": "1. Đọc văn bản", "level": "h2"}),
                (
                    "paragraph",
                    _rich(
                        "<p><i>Đường vô xứ Nghệ quanh quanh,<br/>Non xanh nước biếc như tranh hoạ đồ.</i></p>"
                    ),
                ),
                (
                    "image",
                    {
                        "image": river,
                        "alt": "Tranh vẽ dòng sông và lũy tre",
                        "caption": "Cảnh quê hương",
                    },
                ),
                (
                    "callout",
                    {
                        "kind": "tip",
                        "text": _rich(
                            "<p>Đọc chậm, chú ý các từ láy: <b>quanh quanh</b>.</p>"
                        ),
                    },
                ),
                ("heading", {"text": "2. Tìm hiểu văn bản", "level": "h3"}),
                (
                    "self_check",
                    _self_check(
                        "Câu ca dao dùng biện pháp tu từ nào?",
                        [("So sánh", True), ("Nhân hoá", False), ("Hoán dụ", False)],
                        "Non xanh nước biếc <b>như</b> tranh hoạ đồ: phép so sánh.",
                    ),
                ),
                (
                    "attachment",
                    {"document": worksheet, "label": "Phiếu đọc hiểu (PDF)"},
                ),
                ("homework", {"assignment_id": 2, "label": "Viết đoạn văn cảm nhận"}),
            ),
        ),
    )
