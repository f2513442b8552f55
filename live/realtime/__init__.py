"""
The transport of the live rooms: the socket (``consumers``, ``routing``,
``middleware``), the per-process hub that fans frames out (``hub``,
``sockets``), the room state every process shares (``store``), the pub/sub
wire between processes (``wire``) and its sync entry points (``events``).
No rules and no database here (an import-linter contract keeps the hub, the
store and the wire off the room and quiz services).
"""
