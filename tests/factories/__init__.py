"""
Factories for every model, one module per app, re-exported here so tests
write ``from tests.factories import ClassroomFactory``.
"""

from .accounts import *  # noqa: F401,F403
from .assignments import *  # noqa: F401,F403
from .classrooms import *  # noqa: F401,F403
from .courses import *  # noqa: F401,F403
from .live import *  # noqa: F401,F403
