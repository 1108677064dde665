"""A notes API: FastAPI routes over a loop-bound in-memory connection pool."""

from notes_service.app import app, get_pool
from notes_service.db import Pool, PoolClosedError

__all__ = ["Pool", "PoolClosedError", "app", "get_pool"]
