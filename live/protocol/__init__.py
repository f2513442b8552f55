"""
The live-room wire contract (``docs/live-protocol.md``) as Python.

One home for everything a client and the server must agree on: every
client→server and server→client message type, a ``TypedDict`` per frame,
the error codes with their messages, the ``quiz.ack`` reasons, the close
codes, the one ``ClientError``, the builders of every server frame and the
validation of every client frame. No other module in ``live/`` writes a
frame type as a string literal. Everything here is pure: no database, no
sockets, no clock (times are passed in).

The tests check every frame they receive against these ``TypedDict``\\ s
(``tests/live/frames.py``), so a frame that drifts from its type fails.

It is a package only for size; import it whole (``from live import
protocol as p``): ``codes`` (names and numbers), ``frames`` (server
``TypedDict``\\ s), ``parsing`` (client frames, ``ClientError``) and
``builders`` (server frames).
"""

from .audio import *  # noqa: F403
from .builders import *  # noqa: F403
from .codes import *  # noqa: F403
from .frames import *  # noqa: F403
from .parsing import *  # noqa: F403
