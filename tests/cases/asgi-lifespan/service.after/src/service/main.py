from contextlib import asynccontextmanager

from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app):
    app.state.cache = {}
    yield
    app.state.cache.clear()


app = FastAPI(lifespan=lifespan)
plain = FastAPI()
