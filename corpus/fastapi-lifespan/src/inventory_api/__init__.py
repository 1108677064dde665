"""A small inventory API on FastAPI, with its store opened by the app's lifespan."""
