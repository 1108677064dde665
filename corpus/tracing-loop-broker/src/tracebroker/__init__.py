"""tracebroker: an in-process publish/subscribe broker, and the tracing event loop its
services run on in production (it counts the tasks each component starts)."""

from tracebroker.broker import Broker, Subscription
from tracebroker.loop import TracingEventLoop, TracingPolicy

__all__ = ["Broker", "Subscription", "TracingEventLoop", "TracingPolicy"]
