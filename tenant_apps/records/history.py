"""Who made a change, whichever door it came through (page, API, import, task), goes
into the records' history (django-pghistory context)."""

import contextlib

import pghistory


@contextlib.contextmanager
def history_context(actor, door: str):
    """Attach the acting user and the door (ui, api, import, merge, ...) to every history
    event written inside the block; nests with the middleware's request context."""
    with pghistory.context(user=getattr(actor, "pk", None), door=door):
        yield
