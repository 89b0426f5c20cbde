"""The code generator: OpenAPI document -> models, operations, facade, registry, tests and docs.

Run ``python -m tools.codegen`` to regenerate, ``python -m tools.codegen --check`` to verify that
the committed files are up to date. See ``tools/codegen/README.md``.
"""
