"""stockroom: item counts with reservations, a change feed and a line-protocol server."""

from stockroom.server import request, serve
from stockroom.store import OutOfStock, Store

__all__ = ["OutOfStock", "Store", "request", "serve"]
