"""The event loop: the removed ``event_loop`` fixture, its overrides and the loop scopes
that replace them, and code that drives a loop by hand inside tests."""
