def test_sync():
    assert True
