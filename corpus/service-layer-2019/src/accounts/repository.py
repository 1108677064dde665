from accounts.http import HttpError


class UserNotFound(LookupError):
    pass


class UserRepository:
    """Users as the user API stores them."""

    def __init__(self, http):
        self.http = http

    async def get(self, user_id, attempts=2):
        for attempt in range(attempts):
            try:
                return await self.http.get_json(f"/users/{user_id}")
            except HttpError as error:
                if error.status == 404:
                    raise UserNotFound(user_id) from error
                if error.status != 503 or attempt == attempts - 1:
                    raise

    async def save(self, user):
        return await self.http.put_json(f"/users/{user['id']}", user)
