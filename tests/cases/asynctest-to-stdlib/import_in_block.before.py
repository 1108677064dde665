import warnings

with warnings.catch_warnings():
    import asynctest

m = asynctest.CoroutineMock()
