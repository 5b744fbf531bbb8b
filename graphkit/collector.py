"""A pause of the cyclic garbage collector while millions of long-lived objects are built."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """Pause the cyclic garbage collector while the answer is built, then file what
    survives under the oldest generation.

    An answer at scale is millions of small objects that live on; left to the collector,
    they (and the whole graph, with them) would be rescanned again and again, and even a
    plain pause ends in one long pass over all of them once the collector resumes.
    ``gc.freeze`` + ``gc.unfreeze`` moves them to the oldest generation without a scan
    (unless the caller froze objects on purpose: those must stay frozen).  Rendering is
    paused too: its allocations would otherwise set off full passes over the answer.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()
