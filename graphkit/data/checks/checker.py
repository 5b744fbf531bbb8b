"""Every check together: what :func:`graphkit.data.dataset.check_dataset` runs."""

from __future__ import annotations

from graphkit.data.checks.cohorts import CohortChecks
from graphkit.data.checks.edges import EdgeChecks
from graphkit.data.checks.entities import EntityChecks


class Checker(EntityChecks, CohortChecks, EdgeChecks):
    """Reads a dataset directory and checks it: ``run()``, then ``dataset`` holds what is
    good and ``problems`` every problem found.

    >>> from graphkit.data.locate import bundled_data_dir
    >>> checker = Checker(bundled_data_dir(), None)
    >>> checker.run()
    >>> checker.problems, len(checker.dataset.entities) > 10
    ([], True)
    """
