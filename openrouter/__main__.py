"""``python -m openrouter``: the ``openrouter`` command."""

from openrouter._cli import main

raise SystemExit(main())
