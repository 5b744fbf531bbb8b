"""The standalone interactive HTML page, by job: ``data`` (what a page shows), ``layout``
(where each entity goes), ``html`` (the file: template, inlined scripts, policy) and
``render`` (ties them together and writes the page), with the template, script (a file
per concept in ``templates/script/``) and style it inlines (``templates/``), pyvis's
vis-network, and sigma.js and graphology (``vendor/``),
which draw large pages in WebGL.

This is the only package that touches pyvis.  Imports: ``graphkit.query``,
``graphkit.present``, ``graphkit.store``, ``graphkit.data`` and the foundation modules.
"""
