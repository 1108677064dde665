"""verify: prove a migration by running the suite before and after it, test by test.

- ``verify``: the whole run on copies of the project (the user's tree is written only by
  ``--rollback``), and the report.
- ``runner``: one pytest run in its own process group under a wall-clock limit.
- ``_outcome_plugin``: the dependency-free pytest plugin that records each test's outcome
  and warnings; copied next to the suite and loaded with ``-p``.
- ``envs``: interpreters (paths, versions through pyenv) and cached virtualenvs built
  from requirement files.
- ``compare``: regression / fixed / newly running / changed / unchanged.
- ``attribution``: which codemod and file caused a regression (bisection over migrations
  with codemods left out), and the migration without those edits.
- ``render``: the report as text.
"""
