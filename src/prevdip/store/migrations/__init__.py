"""Alembic migrations of the system of record, shipped in the package (``prevdip db upgrade`` runs them).

A schema change is one new file in ``versions/``, named ``NNNN_what_changed.py`` with ``revision = "NNNN"`` and
``down_revision`` the previous number; start from ``script.py.mako`` or the newest file. Use batch operations
(``op.batch_alter_table``) for ALTERs, which SQLite needs. ``tests/store/test_migrations.py`` checks that the
head matches :mod:`prevdip.store.models` on SQLite and PostgreSQL and that every step downgrades cleanly.
"""
