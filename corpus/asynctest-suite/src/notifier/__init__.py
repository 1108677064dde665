"""notifier: fan a message out to every subscriber of a topic."""

from notifier.dispatcher import Delivery, Dispatcher
from notifier.store import SubscriberStore
from notifier.transport import SmtpTransport, TransportError

__all__ = ["Delivery", "Dispatcher", "SmtpTransport", "SubscriberStore", "TransportError"]
