"""``{% quiz_panel session role %}``: the live quiz game part of a room page."""

from django import template

from live.quiz.selectors import startable_quizzes

register = template.Library()


@register.inclusion_tag("live/quiz_panel.html", takes_context=True)
def quiz_panel(context, session, role):
    """The panel; teachers also get the class teachers' quizzes to start."""
    quizzes = []
    if role == "teacher":
        quizzes = startable_quizzes(session, context["user"])
    return {
        "session": session,
        "role": role,
        "quizzes": quizzes,
        "user": context.get("user"),
    }
