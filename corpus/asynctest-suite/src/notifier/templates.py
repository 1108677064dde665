"""Message bodies from named templates fetched from a template service."""

import asyncio

TEMPLATES = {"welcome": "Hello {name}!", "digest": "{count} new items"}


async def fetch_template(name):
    await asyncio.sleep(0)
    return TEMPLATES[name]


async def render(template_name, **values):
    template = await fetch_template(template_name)
    return template.format(**values)
