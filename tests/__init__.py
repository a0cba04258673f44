"""The test suite, laid out like the package: dialect/, loaders/, core/ (engine, API,
limits, sandbox, repository checks), faces/ (CLI, shell, magics, notebooks), oracle/
(PostgreSQL 15 and the corpus); shared helpers in support/.

A package, so that pytest puts the repository root on ``sys.path`` and the helpers import
as ``tests.support.<module>``; ``pytest -m "not slow"`` is the quick loop."""
