"""A thin JSON-over-HTTP client (the transport is injected, so tests never open sockets)."""


class HttpError(Exception):
    def __init__(self, status, path):
        super().__init__(f"{status} for {path}")
        self.status = status


class HttpClient:
    def __init__(self, base_url, transport):
        self.base_url = base_url.rstrip("/")
        self.transport = transport

    def build_url(self, path):
        return f"{self.base_url}/{path.lstrip('/')}"

    async def get_json(self, path):
        status, body = await self.transport.request("GET", self.build_url(path))
        if status >= 400:
            raise HttpError(status, path)
        return body

    async def put_json(self, path, payload):
        status, body = await self.transport.request("PUT", self.build_url(path), payload)
        if status >= 400:
            raise HttpError(status, path)
        return body
