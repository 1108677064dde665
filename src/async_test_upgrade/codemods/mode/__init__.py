"""pytest-asyncio's mode: strict markers, auto mode, and the marks and settings each needs."""
