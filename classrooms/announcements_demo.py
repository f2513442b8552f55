"""Demo announcements: one for the class, one also sent to parents (idempotent)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from .announcements import post_announcement
from .models import Announcement

# A one-page PDF, small enough to keep inline, so the demo needs no fixture file.
TIMETABLE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
DEMO_ANNOUNCEMENTS = [
    {
        "title": "Mang compa và thước kẻ cho tiết Hình học thứ Năm",
        "body": "Các em chuẩn bị đủ dụng cụ, cô sẽ kiểm tra đầu giờ.",
        "also_to_parents": False,
    },
    {
        "title": "Lịch kiểm tra giữa kỳ và họp phụ huynh trực tuyến",
        "body": (
            "Kính gửi quý phụ huynh, lịch kiểm tra giữa kỳ ở tệp đính kèm. "
            "Buổi họp phụ huynh trực tuyến lúc 19:30 thứ Sáu."
        ),
        "also_to_parents": True,
        "attachment": ("lich-kiem-tra-giua-ky.pdf", TIMETABLE_PDF),
    },
]


def seed(demo, stdout) -> None:
    created = 0
    for classroom in demo.classrooms:
        teacher = classroom.homeroom_teacher
        if teacher is None:
            continue
        for item in DEMO_ANNOUNCEMENTS:
            if Announcement.objects.filter(
                classroom=classroom, title=item["title"]
            ).exists():
                continue
            attachment = None
            if "attachment" in item:
                name, content = item["attachment"]
                attachment = SimpleUploadedFile(name, content)
            post_announcement(
                classroom=classroom,
                author=teacher,
                title=item["title"],
                body=item["body"],
                also_to_parents=item["also_to_parents"],
                attachment=attachment,
            )
            created += 1
    stdout.write(f"announcements: {created} posted")
