"""The parent home's per-child cards (a context builder for ``lms.views``)."""

from classrooms.selectors import child_cards_for_parent

from .selectors import child_overview


def children_with_overviews(user) -> dict:
    """The foundation's child cards, each with its homework/attendance overview."""
    cards = child_cards_for_parent(user)
    for card in cards:
        card.overview = child_overview(card.student)
    return {"children": cards}
