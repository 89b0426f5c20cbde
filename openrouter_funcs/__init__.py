"""One module per OpenRouter API operation; import the one you use, by its full path.

    from openrouter_funcs.credits_get_credits import credits_get_credits

This package imports nothing on purpose, so a script pays only for the operation it imports.
"""
