from fastapi import FastAPI

legacy_app = FastAPI()


@legacy_app.on_event("startup")
async def connect():
    legacy_app.state.ready = True
