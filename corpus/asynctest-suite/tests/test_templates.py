import asyncio
from unittest.mock import MagicMock

from asynctest import CoroutineMock, TestCase, patch

from notifier import templates
from notifier.store import SubscriberStore


class TestRender(TestCase):
    async def test_render_formats_the_fetched_template(self):
        fetch = asyncio.coroutine(MagicMock(return_value="Dear {who}"))
        with patch.object(templates, "fetch_template", new=fetch):
            self.assertEqual(await templates.render("any", who="Ada"), "Dear Ada")

    async def test_render_with_a_lambda_fetch(self):
        upper = asyncio.coroutine(lambda name: name.upper() + " {n}")
        with patch.object(templates, "fetch_template", new=upper):
            self.assertEqual(await templates.render("digest", n=2), "DIGEST 2")

    async def test_named_stub_records_the_call(self):
        fetch_stub = MagicMock(return_value="{count} items")
        fetch = asyncio.coroutine(fetch_stub)
        with patch("notifier.templates.fetch_template", new=fetch):
            self.assertEqual(await templates.render("digest", count=5), "5 items")
        fetch_stub.assert_called_once_with("digest")

    async def test_store_rows_through_a_coroutine_mock(self):
        store = SubscriberStore()
        store.load = CoroutineMock(return_value=[("a@example.org", True), ("b@x.org", True)])
        self.assertEqual(await store.subscribers("t"), ["a@example.org", "b@x.org"])
        store.load.assert_awaited_once_with("t")
