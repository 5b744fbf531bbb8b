"""Where a validated dataset lives for queries: the NetworkX graph built in memory
(``graph``) and the compiled on-disk cache that answers without building it (``cache``).

Both offer the same traversal interface (``around``, ``edge``, ``entity``), which queries
walk without knowing which one they hold.

Imports: ``graphkit.data`` and the foundation modules (``errors``, ``atomic``) only.
"""
