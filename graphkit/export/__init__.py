"""Exports for the tools analysts already use: GraphML, GEXF, node-link JSON and CSV
(``formats``).

Imports: ``graphkit.query``, ``graphkit.present``, ``graphkit.store``, ``graphkit.data``
and the foundation modules.
"""
