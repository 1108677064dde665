"""Framework test helpers: pytest-aiohttp's fixtures and test cases, httpx's
``ASGITransport``, ASGI lifespans and Starlette's ``TestClient``."""
