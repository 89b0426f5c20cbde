"""The OpenRouter client object: ``from openrouter import OpenRouter``.

Everything public in ``openrouter_core`` (the error tree, options, results, retries, hooks) is
re-exported here, so a client user writes ``except openrouter.UnauthorizedResponseError``.
"""

from openrouter._client import OpenRouter
from openrouter_core import *  # noqa: F403 - the runtime's public names, listed once in openrouter_core.__all__
from openrouter_core import __all__ as _core_names

__all__ = ["OpenRouter", *_core_names]  # noqa: PLE0604 - a list of strings
