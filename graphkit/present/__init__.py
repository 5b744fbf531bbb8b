"""Turning answers into output: stable JSON and terminal tables (``output``), and the text
of each command's answer (``text``).

Imports: ``graphkit.data`` and the foundation modules only; it formats what queries return
without calling them.
"""
