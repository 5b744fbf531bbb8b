"""Curation: growing a dataset from the command line, one cited record at a time.

Registering a document (``sources``), what a document mentions and which of its sentences
no record cites yet (``text``, ``mentions``, ``coverage``), adding one record with every
check a curator needs (``add``), and the canonical formatting every file is written in,
under a lock so that concurrent writers never lose an update (``files``).

Imports: ``graphkit.data`` and the foundation modules (``graphkit.errors``,
``graphkit.atomic``); pyahocorasick and jieba.  Never the store, queries, presentation,
the page, exports or the CLI (the CLI calls in here and prints what comes back).
"""
