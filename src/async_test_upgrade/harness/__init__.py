"""verify: prove a migration by running the suite before and after it, test by test.

- ``verify``: the whole run on copies of the project (the user's tree is written only by
  ``--rollback``), and the report.
- ``runner``: one pytest run in its own process group under a wall-clock limit.
- ``_outcome_plugin``: the dependency-free pytest plugin that records each test's outcome
  and warnings; copied next to the suite and loaded with ``-p``.
- ``envs``: interpreters (paths, versions through pyenv) and cached virtualenvs built
  from requirement files.
- ``compare``: regression / fixed / newly running / changed / unchanged.
- ``attribution``: which codemod and file caused a regression (re-runs with codemods left
  out on the new stack, and with one codemod's edits alone on the old stack), and the
  migration without those edits.
- ``suspects``: the weaker evidence, the codemods whose edits a failing test passes
  through (its traceback, function, marks, fixtures).
- ``render``: the report as text.
"""
