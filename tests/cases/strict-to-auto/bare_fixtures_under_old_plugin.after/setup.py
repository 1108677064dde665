from setuptools import setup

setup(
    name="relay",
    packages=["relay"],
    tests_require=["pytest==6.2.5", "pytest-asyncio==0.16.0"],
)
