"""
Form fields every app shares for what a user may type (issue #12).

``SaneDateTimeField`` keeps dates inside years ``EARLIEST_YEAR``..``LATEST_YEAR``
so that adding a time zone or a duration can never overflow into a 500.
"""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100

DATE_OUT_OF_RANGE = _("Hãy chọn một ngày trong khoảng năm %(earliest)s đến %(latest)s.")


def validate_sane_datetime(value: datetime | None) -> None:
    """Refuse a date outside the years a school may plan for."""
    if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValidationError(
            DATE_OUT_OF_RANGE,
            code="date_out_of_range",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )


class SaneDateTimeField(forms.DateTimeField):
    """A ``DateTimeField`` that answers a form error for year 1 or 9999."""

    default_validators = [validate_sane_datetime]

    def to_python(self, value):
        try:
            result = super().to_python(value)
        except OverflowError:  # year 1 shifted into the current time zone
            result = datetime.min
        # Checked here, before any later step (a time zone, a duration) runs.
        validate_sane_datetime(result)
        return result
