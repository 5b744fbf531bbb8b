"""The standalone interactive HTML page: its data, layout and assembly (``render``), with
the template, script and style it inlines (``templates/``) and pyvis's vis-network.

This is the only package that touches pyvis.  Imports: ``graphkit.query``,
``graphkit.present``, ``graphkit.store``, ``graphkit.data`` and the foundation modules.
"""
