"""
Signals for concerns that higher layers react to without this app knowing
them (for example: the live rooms close the sockets of a removed student).
They are sent after the transaction commits.
"""

from django.dispatch import Signal

# Sent with ``classroom_id`` and ``student_id`` when an enrolment ends.
enrollment_removed = Signal()
# Sent with ``parent_id`` and ``student_id`` when a parent link is removed.
parent_link_removed = Signal()
