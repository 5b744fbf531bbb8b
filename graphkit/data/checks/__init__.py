"""The checks behind ``graphkit validate`` and the loader, one module per concern.

``reading`` reads and parses the files and runs the rest (on two cores for large data);
``entities`` checks the entities and their names; ``sources`` the documents registry and
every record's citations and quotes; ``fields`` the references to entities and the dates
any record may carry; ``cohorts`` and ``edges`` their own files.  ``checker`` puts them
together as :class:`graphkit.data.checks.checker.Checker`.

Imports: ``graphkit.errors`` and the rest of ``graphkit.data`` below the loader
(``graphkit.data.dataset`` imports these, never the other way round).
"""
