"""
The teacher's voice in a live room (``docs/live-protocol.md`` section 6):
the ``audio.*`` handlers and binary bundles (``handlers``), the session's
recording (``recording``, written as Ogg Opus by ``ogg``) and the view that
plays it back to the class (``views``).
"""
