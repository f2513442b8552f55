"""
Extension point that higher layers fill in, so ``classrooms`` never imports them.

The class page is a teacher's hub: homework, the gradebook, live classes and
attendance belong to apps above ``classrooms``. Each registers a function
under ``CLASSROOM_SECTIONS`` (``wagtail.hooks.register``) and decides, with its
own ``permissions``, which links this user may follow; the class page shows
the sections in hook order.

``CLASSROOM_SECTIONS``
    ``fn(classroom, user) -> ClassroomSection | None``: a titled group of
    links for this class, or ``None`` when the user may use none of them.
"""

from dataclasses import dataclass, field

from wagtail import hooks

CLASSROOM_SECTIONS = "lophoc_classroom_sections"


@dataclass(frozen=True)
class ClassroomLink:
    label: str
    url: str
    primary: bool = False


@dataclass(frozen=True)
class ClassroomItem:
    """One row of a section (a live session...), with its own links."""

    title: str
    url: str
    detail: str = ""
    links: list[ClassroomLink] = field(default_factory=list)


@dataclass(frozen=True)
class ClassroomSection:
    key: str
    title: str
    links: list[ClassroomLink] = field(default_factory=list)
    items: list[ClassroomItem] = field(default_factory=list)
    empty: str = ""


def classroom_sections(classroom, user) -> list[ClassroomSection]:
    """Every registered section this user may use on this class's page."""
    sections = (fn(classroom, user) for fn in hooks.get_hooks(CLASSROOM_SECTIONS))
    return [section for section in sections if section is not None]
