"""feedcache: fetch feeds over HTTP, keep them in a database, serve them from a cache."""
