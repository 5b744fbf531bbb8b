"""graphkit: map who moves, who funds and what follows what in the AI industry.

The package is a library first: every command of the ``graphkit`` CLI is a thin
wrapper over a function here that returns plain data.  Heavy modules (NetworkX,
pyvis) are imported only where they are used, so ``graphkit --help`` stays fast.
"""

__version__ = "0.1.0"
