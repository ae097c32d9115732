"""Peewee models and the database layer. Knows nothing of Qt; see docs/ARCHITECTURE.md."""
