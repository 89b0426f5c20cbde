"""Models of the Credits resource, one module per operation; import them by full path.

    from openrouter_funcs.models.credits.get_credits import GetCreditsResponse

(Each operation module re-exports its own models too.) Nothing is imported here, so loading one
operation's models never loads another's.
"""
