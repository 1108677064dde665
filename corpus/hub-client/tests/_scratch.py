def test_not_collected():
    raise AssertionError("files starting with an underscore are never collected")
