"""
What happens in a live room: joining and who may (``permissions``,
``access``, ``signals``), one handler per client message (``handlers``),
the durable writes and reads behind them (``services``, ``selectors``),
pure rules (``rules``), and the pages around a room (``views``, ``urls``,
``forms``, ``slides``, ``calendar``, ``reminders`` with their ``tasks``).
"""
