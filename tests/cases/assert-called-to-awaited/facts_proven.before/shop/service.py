from shop.repo import UserRepo, fetch_user, render

__all__ = ["UserRepo", "fetch_user", "render"]
