"""Questions asked of the graph: paths and ego networks (``paths``), entity cards
(``cards``), model lineage (``lineage``), investments (``investments``), who moved where
(``moves``, with its column table ``movetable``) and how talent flows (``flow``), and
whole-graph figures (``stats``).

Each function takes a graph or a store view and returns plain data (dicts and lists),
never text.  Imports: ``graphkit.store``, ``graphkit.data`` and the foundation modules.
"""
