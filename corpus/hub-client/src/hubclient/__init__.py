"""A small client for a home-automation hub's HTTP API, in the style of 2020."""

from hubclient.client import HubClient, wait_ready

__all__ = ["HubClient", "wait_ready"]
