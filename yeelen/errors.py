"""Errors that carry a message a clerk or an engineer can act on.

The command line prints these without a stack trace; anything else is a bug and keeps its trace.
"""


class YeelenError(Exception):
    """An error whose message says what is wrong and what to do about it."""


class ConfigurationError(YeelenError):
    """A setting is missing, malformed or inconsistent."""


class StoreUnavailableError(YeelenError):
    """A database or warehouse cannot be reached or opened."""


class EmptyWarehouseError(YeelenError):
    """The warehouse has not been built yet."""


class InputRejectedError(YeelenError):
    """Input data was refused; the message says which line and why."""
