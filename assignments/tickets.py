"""
Upload tickets for homework handed in from the phone's queue (#15 Build 3).

The homework form carries a ticket the server signed: which pupil, which
homework, which idempotency key, and a fingerprint of the pupil's sign-in
(password and "log out everywhere" generation). A submission waiting in the
phone's queue is sent later with its ticket and no cookie, so it is always
handed in as the child who made it, whoever is signed in on the phone by
then. A ticket is good for one submission (its key; a retry of that same
submission collapses on the key), for ``TICKET_DAYS`` days, and until the
child's password changes or their sessions are ended.
"""

import time
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from accounts.models import User

SALT = "lophoc.assignments.upload-ticket"
TICKET_DAYS = 7
BROKEN = _("Phiếu nộp bài không hợp lệ. Hãy mở lại bài tập và nộp lại.")
EXPIRED = _(
    "Phiếu nộp bài đã quá %(days)s ngày nên hết hạn. Bài vẫn còn trên máy này: "
    "hãy mở lại bài tập và nộp lại."
)
REVOKED = _(
    "Tài khoản đã đổi mật khẩu hoặc đăng xuất khỏi mọi thiết bị, nên phiếu nộp "
    "bài này không còn dùng được. Hãy đăng nhập và nộp lại."
)
OTHER_WORK = _("Phiếu nộp bài này là của một bài khác.")
NOT_ALLOWED = _("Em không còn được nộp bài tập này (có thể em đã rời lớp).")


@dataclass(frozen=True)
class Ticket:
    student: User
    assignment_id: int
    key: str
    issued_at: int  # Unix seconds


def _fingerprint(user: User) -> str:
    return user.get_session_auth_hash()[:16]


def issue_ticket(*, student: User, assignment_id: int, key: str) -> str:
    return signing.dumps(
        {
            "s": student.pk,
            "a": assignment_id,
            "k": key,
            "f": _fingerprint(student),
            "t": int(time.time()),
        },
        salt=SALT,
    )


def read_ticket(token: str, *, assignment_id: int, key: str) -> Ticket:
    """The ticket's pupil, or a translated ``ValidationError`` saying why not."""
    try:
        claims = signing.loads(token or "", salt=SALT, max_age=TICKET_DAYS * 86400)
    except signing.SignatureExpired as error:
        raise ValidationError(EXPIRED, params={"days": TICKET_DAYS}) from error
    except (signing.BadSignature, ValueError) as error:
        raise ValidationError(BROKEN) from error
    if not isinstance(claims, dict) or set(claims) != {"s", "a", "k", "f", "t"}:
        raise ValidationError(BROKEN)
    if claims["a"] != assignment_id or claims["k"] != key:
        raise ValidationError(OTHER_WORK)
    student = User.objects.filter(pk=claims["s"], is_active=True).first()
    if student is None or not constant_time_compare(
        str(claims["f"]), _fingerprint(student)
    ):
        raise ValidationError(REVOKED)
    return Ticket(student, assignment_id, key, claims["t"])
