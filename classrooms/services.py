"""Writes for schools, classrooms, enrolment and parent links."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import badges
from accounts import services as account_services
from accounts.models import Role, User
from accounts.names import sort_people
from accounts.permissions import NOT_ALLOWED
from notifications import services as notifications

from . import permissions, roster_import
from .models import (
    Classroom,
    Enrollment,
    ParentInviteCode,
    ParentLink,
    School,
    generate_code,
)
from .selectors import student_and_parent_ids
from .signals import enrollment_removed, parent_link_removed

JOIN_CODE_INVALID = _("Mã lớp không đúng hoặc lớp đã tắt vào lớp bằng mã.")
OTHER_SCHOOL_CLOSED = _(
    "Lớp này thuộc một trường khác, và trường đó không nhận học sinh ngoài "
    "trường. Hãy hỏi thầy cô đã gửi mã."
)
PASSWORD_RESET_PUPIL_TITLE = _("Mật khẩu của em đã được đặt lại")
PASSWORD_RESET_PUPIL_BODY = _(
    "%(by)s đã đặt mật khẩu mới cho tài khoản %(username)s lúc %(time)s. "
    "Nếu em không nhờ thầy cô làm việc này, hãy báo ngay cho thầy cô chủ nhiệm."
)
PASSWORD_RESET_PARENT_TITLE = _("Mật khẩu của %(name)s đã được đặt lại")
PASSWORD_RESET_PARENT_BODY = _(
    "%(by)s đã đặt mật khẩu mới cho tài khoản %(username)s của %(name)s lúc "
    "%(time)s. Nếu gia đình không biết việc này, hãy liên hệ nhà trường."
)
ONLY_STUDENTS_JOIN = _("Chỉ học sinh mới vào lớp bằng mã.")
INVITE_CODE_INVALID = _("Mã mời không đúng, đã dùng hoặc đã hết hạn.")
ONLY_PARENTS_LINK = _("Chỉ tài khoản phụ huynh mới liên kết được với học sinh.")
CLASSROOM_EXISTS = _("Trường đã có lớp này trong năm học.")
TOO_MANY_ATTEMPTS = _("Bạn đã nhập sai mã quá nhiều lần. Hãy thử lại sau 15 phút.")
ROSTER_CONFLICT = _(
    "Một tên đăng nhập vừa được dùng trong lúc nhập; chưa học sinh nào được thêm. "
    "Hãy thử lại."
)

PARENT_INVITE_TTL = timedelta(days=14)
# Failed code entries allowed per user and kind of code within the window;
# join codes have 31^6 and invite codes 31^8 values, so guessing is hopeless.
CODE_ATTEMPTS = 10
CODE_ATTEMPT_WINDOW = 15 * 60
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105


def _normalize_code(code: str | None) -> str:
    return (code or "").strip().upper().replace(" ", "").replace("-", "")[:20]


def _attempts_key(kind: str, user: User) -> str:
    return f"classrooms:code-attempts:{kind}:{user.pk}"


def _check_attempts(kind: str, user: User) -> None:
    if cache.get(_attempts_key(kind, user), 0) >= CODE_ATTEMPTS:
        raise ValidationError(TOO_MANY_ATTEMPTS)


def _record_failed_attempt(kind: str, user: User) -> None:
    key = _attempts_key(kind, user)
    if not cache.add(key, 1, CODE_ATTEMPT_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, CODE_ATTEMPT_WINDOW)


@transaction.atomic
def create_classroom(
    *,
    school: School,
    name: str,
    grade: int,
    school_year: str,
    homeroom_teacher: User | None = None,
    created_by: User,
) -> Classroom:
    """Create a class; a teacher creating it becomes its homeroom teacher."""
    if not (
        created_by.is_teacher and school.staff.filter(pk=created_by.pk).exists()
    ) and not permissions.can_administer_school(created_by, school):
        raise PermissionDenied(NOT_ALLOWED)
    if homeroom_teacher is None and created_by.is_teacher:
        homeroom_teacher = created_by
    classroom = Classroom(
        school=school,
        name=name.strip(),
        grade=grade,
        school_year=school_year.strip(),
        homeroom_teacher=homeroom_teacher,
    )
    duplicate = Classroom.objects.filter(
        school=school, school_year=classroom.school_year, name__iexact=classroom.name
    )
    if duplicate.exists():
        raise ValidationError(CLASSROOM_EXISTS)
    classroom.full_clean()
    try:
        with transaction.atomic():
            classroom.save()
    except IntegrityError as error:
        raise ValidationError(CLASSROOM_EXISTS) from error
    return classroom


def enroll_student(*, classroom: Classroom, student: User) -> Enrollment:
    """Enrol ``student`` in ``classroom``; enrolling twice is harmless."""
    if student.role != Role.STUDENT:
        raise ValidationError(ONLY_STUDENTS_JOIN)
    enrollment, _created = Enrollment.objects.get_or_create(
        classroom=classroom, student=student
    )
    return enrollment


def join_classroom_by_code(*, student: User, code: str) -> Classroom:
    """A student types the code their teacher shared and joins that class."""
    if student.role != Role.STUDENT:
        raise ValidationError(ONLY_STUDENTS_JOIN)
    _check_attempts("join", student)
    classroom = Classroom.objects.filter(
        join_code=_normalize_code(code), join_enabled=True
    ).first()
    if classroom is None:
        _record_failed_attempt("join", student)
        raise ValidationError(JOIN_CODE_INVALID)
    if not permissions.may_join_by_code(student, classroom):
        raise ValidationError(OTHER_SCHOOL_CLOSED)
    enroll_student(classroom=classroom, student=student)
    return classroom


def remove_student(*, classroom: Classroom, student: User, by: User) -> None:
    """End an enrolment; live rooms and other listeners hear of it after commit."""
    if not permissions.can_manage_classroom(by, classroom):
        raise PermissionDenied(NOT_ALLOWED)
    deleted, _ = Enrollment.objects.filter(
        classroom=classroom, student=student
    ).delete()
    if deleted:
        transaction.on_commit(
            lambda: enrollment_removed.send(
                sender=Enrollment, classroom_id=classroom.pk, student_id=student.pk
            )
        )


def regenerate_join_code(*, classroom: Classroom, by: User) -> Classroom:
    """Give the class a fresh join code; the old one stops working at once."""
    if not permissions.can_manage_classroom(by, classroom):
        raise PermissionDenied(NOT_ALLOWED)
    code = generate_code()
    while Classroom.objects.filter(join_code=code).exists():
        code = generate_code()
    classroom.join_code = code
    classroom.save(update_fields=["join_code"])
    return classroom


def set_external_pupils_allowed(*, school: School, allowed: bool, by: User) -> School:
    """A school admin lets pupils of other schools join its classes by code."""
    if not permissions.can_administer_school(by, school):
        raise PermissionDenied(NOT_ALLOWED)
    school.allow_external_pupils = allowed
    school.save(update_fields=["allow_external_pupils"])
    return school


def set_join_enabled(*, classroom: Classroom, enabled: bool, by: User) -> Classroom:
    if not permissions.can_manage_classroom(by, classroom):
        raise PermissionDenied(NOT_ALLOWED)
    classroom.join_enabled = enabled
    classroom.save(update_fields=["join_enabled"])
    return classroom


def create_parent_invite(*, student: User, by: User) -> ParentInviteCode:
    """Issue a single-use code a parent types to link to ``student``."""
    if not permissions.can_manage_account(by, student):
        raise PermissionDenied(NOT_ALLOWED)
    return ParentInviteCode.objects.create(
        student=student,
        created_by=by,
        code=generate_code(8),
        expires_at=timezone.now() + PARENT_INVITE_TTL,
    )


def link_parent_by_code(*, parent: User, code: str) -> ParentLink:
    """
    Redeem an invite code: the code is spent and the link is made together.
    Failed attempts are counted per parent (rate limit, security-tests AZ-04).
    """
    if parent.role != Role.PARENT:
        raise ValidationError(ONLY_PARENTS_LINK)
    _check_attempts("invite", parent)
    link = _redeem_invite(parent=parent, code=_normalize_code(code))
    if link is None:
        _record_failed_attempt("invite", parent)
        raise ValidationError(INVITE_CODE_INVALID)
    return link


@transaction.atomic
def _redeem_invite(*, parent: User, code: str) -> ParentLink | None:
    invite = (
        ParentInviteCode.objects.usable().select_for_update().filter(code=code).first()
    )
    if invite is None:
        return None
    invite.used_at = timezone.now()
    invite.used_by = parent
    invite.save(update_fields=["used_at", "used_by"])
    link, _created = ParentLink.objects.get_or_create(
        parent=parent, student=invite.student
    )
    return link


def unlink_parent(*, link: ParentLink, by: User) -> None:
    """The parent themself, or an admin of the child's school, removes a link."""
    if not permissions.can_remove_parent_link(by, link):
        raise PermissionDenied(NOT_ALLOWED)
    parent_id, student_id = link.parent_id, link.student_id
    link.delete()
    transaction.on_commit(
        lambda: parent_link_removed.send(
            sender=ParentLink, parent_id=parent_id, student_id=student_id
        )
    )


@dataclass
class ImportedStudent:
    """A created account; ``password`` is shown to the teacher once, never stored."""

    student: User
    password: str


@dataclass
class RosterImportResult:
    rows: list[roster_import.RosterRow]
    created: list[ImportedStudent]

    @property
    def bad_rows(self) -> list[roster_import.RosterRow]:
        return [row for row in self.rows if row.errors]


def generate_password(length: int = 8) -> str:
    """An easy-to-type first password (no look-alike characters)."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def reset_student_password(*, student: User, by: User) -> str:
    """
    Give a student a new generated password and return it, once. Children
    have no email, so their teachers and school admin reset it; the student's
    other sessions end because the password hash changes. The pupil and their
    linked parents are told, after commit, who did it and when (issue #11): a
    reset nobody asked for is how a stolen account shows.
    """
    if student.role != Role.STUDENT or not permissions.can_manage_account(by, student):
        raise PermissionDenied(NOT_ALLOWED)
    password = generate_password()
    with transaction.atomic():
        student.set_password(password)
        student.save(update_fields=["password"])
        _notify_password_reset(student=student, by=by)
    return password


def _notify_password_reset(*, student: User, by: User) -> None:
    facts = {
        "by": by.display_name,
        "username": student.username,
        "name": student.display_name,
        "time": timezone.localtime().strftime("%H:%M %d/%m/%Y"),
    }
    notifications.notify(
        event=notifications.PASSWORD_RESET,
        recipients=[student.pk],
        title=PASSWORD_RESET_PUPIL_TITLE,
        body=PASSWORD_RESET_PUPIL_BODY % facts,
    )
    parents = student_and_parent_ids(students=[student.pk]) - {student.pk}
    notifications.notify(
        event=notifications.PASSWORD_RESET,
        recipients=parents,
        title=PASSWORD_RESET_PARENT_TITLE % facts,
        body=PASSWORD_RESET_PARENT_BODY % facts,
    )


def end_student_sessions(*, student: User, by: User) -> None:
    """
    Sign a pupil out on every device (a lost or shared phone) without
    changing the password the pupil knows; their live and notification
    sockets close within seconds.
    """
    if student.role != Role.STUDENT or not permissions.can_manage_account(by, student):
        raise PermissionDenied(NOT_ALLOWED)
    account_services.end_sessions(user=student)


def issue_login_card(*, student: User, by: User) -> str:
    """
    A new QR login card for a pupil (accounts.badges): its token, to print
    now; the old card stops working and the sessions it opened end. The
    pupil's home-school teachers and admins may do it (as a password reset).
    """
    if student.role != Role.STUDENT or not permissions.can_manage_account(by, student):
        raise PermissionDenied(NOT_ALLOWED)
    return badges.issue_badge(student=student, by=by)


def issue_login_cards(*, classroom: Classroom, by: User) -> list[tuple[User, str]]:
    """
    New cards for every pupil of ``classroom`` whose account ``by`` manages
    (pupils whose home class is elsewhere keep theirs), in class-list order.
    All or none: a failure part-way leaves every old card working.
    """
    students = sort_people(
        permissions.roster_students(by, classroom).filter(role=Role.STUDENT)
    )
    with transaction.atomic():
        return [
            (student, badges.issue_badge(student=student, by=by))
            for student in students
            if permissions.can_manage_account(by, student)
        ]


def void_login_card(*, student: User, by: User) -> bool:
    """Stop the pupil's card working now and end the sessions it opened."""
    if student.role != Role.STUDENT or not permissions.can_manage_account(by, student):
        raise PermissionDenied(NOT_ALLOWED)
    return badges.void_badge(student=student)


def import_roster(*, classroom: Classroom, data: bytes, by: User) -> RosterImportResult:
    """
    Create student accounts from a CSV class list and enrol them.

    All or nothing: if any row is bad, nothing is saved and the result names
    every bad row with its reason; the teacher fixes the file and uploads it
    again. Rows without a username get one generated from the name; every
    student gets a generated password, returned once so the teacher can hand
    it out (only its hash is stored). A file that cannot be read at all
    raises ``ValidationError``.
    """
    if not permissions.can_manage_classroom(by, classroom):
        raise PermissionDenied(NOT_ALLOWED)
    try:
        rows = roster_import.parse_roster(roster_import.decode_roster(data))
    except roster_import.RosterFileError as error:
        raise ValidationError(error.message)
    wanted = [row.username for row in rows if row.username]
    taken = User.objects.filter(username__in=wanted).values_list("username", flat=True)
    roster_import.check_usernames(rows, taken)
    result = RosterImportResult(rows=rows, created=[])
    if result.bad_rows:
        return result
    try:
        result.created = _create_students(classroom, rows)
    except IntegrityError:
        raise ValidationError(ROSTER_CONFLICT)
    return result


@transaction.atomic
def _create_students(classroom: Classroom, rows) -> list[ImportedStudent]:
    reserved = {row.username for row in rows if row.username}
    created = []
    for row in rows:
        username = row.username or _free_username(row.display_name, reserved)
        reserved.add(username)
        password = generate_password()
        student = User(
            username=username,
            display_name=row.display_name,
            role=Role.STUDENT,
            password=make_password(password),
        )
        student.full_clean()
        student.save()
        Enrollment.objects.create(classroom=classroom, student=student)
        created.append(ImportedStudent(student=student, password=password))
    return created


def _free_username(display_name: str, reserved: set[str]) -> str:
    base = roster_import.username_base(display_name)
    existing = set(
        User.objects.filter(username__startswith=base).values_list(
            "username", flat=True
        )
    )
    candidate, suffix = base, 1
    while candidate in existing or candidate in reserved:
        suffix += 1
        candidate = f"{base}{suffix}"
    return candidate
