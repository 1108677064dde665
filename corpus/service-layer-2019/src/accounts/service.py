from accounts.rates import fetch_exchange_rate
from accounts.repository import UserNotFound


class UserService:
    def __init__(self, repo, audit_log, cache=None):
        self.repo = repo
        self.audit_log = audit_log  # a plain callable: audit_log(event, **details)
        self.cache = cache

    async def profile(self, user_id):
        if self.cache is not None:
            cached = self.cache.get(user_id)
            if cached is not None:
                return cached
        user = await self.repo.get(user_id)
        if self.cache is not None:
            self.cache.set(user_id, user)
        return user

    async def rename(self, user_id, name):
        user = await self.repo.get(user_id)
        user = {**user, "name": name}
        await self.repo.save(user)
        self.audit_log("renamed", user_id=user_id, name=name)
        return user

    async def exists(self, user_id):
        try:
            await self.repo.get(user_id)
        except UserNotFound:
            return False
        return True

    async def balance_in(self, user_id, currency):
        user = await self.repo.get(user_id)
        rate = await fetch_exchange_rate(currency)
        return round(user["balance"] * rate, 2)
