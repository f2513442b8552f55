"""
The *live quiz game*: a ``QuizRun`` of a teacher's *question bank*
(``assignments.Quiz``) played in a live session — not *quiz homework*,
which is an ``assignments.Assignment`` answered at home. ``handlers``
answer the ``quiz.*`` messages, ``services`` write, ``selectors`` read,
``scoring`` holds the pure rules, ``gradebook`` records a run as grades.
"""
