"""Every async test shares the module's loop."""
