"""Catching a signal in a test without touching the app's own receivers."""

from contextlib import contextmanager


@contextmanager
def caught(signal):
    """
    Record the keyword arguments of each sending of ``signal`` while the
    block runs, then disconnect that one receiver. Never ``receivers.clear()``:
    that would also remove the app's receivers (live's revocation handlers)
    for the rest of the run.
    """
    received = []

    def receiver(**kwargs):
        received.append(kwargs)

    signal.connect(receiver, weak=False)
    try:
        yield received
    finally:
        signal.disconnect(receiver)
