"""The HTTP API. The store is opened by the lifespan and kept on ``app.state``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel

from inventory_api.store import InventoryStore

VERSION = "2.3.0"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    store = InventoryStore()
    await store.open()
    app.state.store = store
    try:
        yield
    finally:
        await store.close()


app = FastAPI(title="inventory", lifespan=lifespan)


class NewItem(BaseModel):
    sku: str
    name: str
    quantity: int = 0


class Adjustment(BaseModel):
    delta: int


def _store(request: Request) -> InventoryStore:
    return request.app.state.store


@app.get("/version")
async def version() -> dict[str, str]:
    # Needs nothing from the lifespan: load balancers call it before startup finishes.
    return {"version": VERSION}


@app.post("/items", status_code=201)
async def create_item(item: NewItem, request: Request) -> dict[str, object]:
    created = await _store(request).put(item.sku, item.name, item.quantity)
    return created.as_dict()


@app.get("/items")
async def list_items(request: Request) -> list[dict[str, object]]:
    return [i.as_dict() for i in await _store(request).all()]


@app.get("/items/{sku}")
async def get_item(sku: str, request: Request) -> dict[str, object]:
    item = await _store(request).get(sku)
    if item is None:
        raise HTTPException(status_code=404, detail=f"no item {sku}")
    return item.as_dict()


@app.post("/items/{sku}/adjust")
async def adjust_item(sku: str, adjustment: Adjustment, request: Request) -> dict[str, object]:
    store = _store(request)
    if await store.get(sku) is None:
        raise HTTPException(status_code=404, detail=f"no item {sku}")
    try:
        item = await store.adjust(sku, adjustment.delta)
    except ValueError as error:
        raise HTTPException(status_code=409, detail=str(error)) from error
    return item.as_dict()
