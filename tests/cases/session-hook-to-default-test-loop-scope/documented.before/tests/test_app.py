async def test_app(settings):
    assert settings["debug"]
