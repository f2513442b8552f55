"""A parent's page about one linked child, with the full history."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import selectors


@login_required
def child_detail(request, child_pk):
    child = selectors.linked_child_or_404(request.user, child_pk)
    context = {"overview": selectors.child_overview(child), "full": True}
    response = render(request, "families/child_detail.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
