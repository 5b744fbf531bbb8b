"""The data model: what a curated dataset holds and how it is read and checked.

Relations and entity types (``relations``), the JSON Schemas (``schema``), partial dates
(``dates``), name folding and resolution (``names``), loading and validation (``dataset``,
``validation``), where the data lives (``locate``) and how a record reads as a sentence
(``describe``).

Imports: only ``graphkit.errors``, ``graphkit.atomic`` and each other; never the store,
queries, presentation, the page, exports or the CLI.
"""
