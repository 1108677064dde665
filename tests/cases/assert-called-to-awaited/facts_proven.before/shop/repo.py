class UserRepo:
    async def get(self, user_id):
        raise NotImplementedError

    def cache_key(self, user_id):
        return f"user:{user_id}"


async def fetch_user(user_id):
    raise NotImplementedError


def render(user):
    return str(user)
