from setuptools import setup

setup(
    name="orders",
    # pytest-trio is declared, but no test uses trio or anyio
    extras_require={"test": ["pytest", "pytest-asyncio", "pytest-trio"]},
)
