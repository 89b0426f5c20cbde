"""``python -m tools.codegen [--check]``: regenerate the SDK's generated files, or verify them."""

from __future__ import annotations

import argparse
import sys
import time

from tools.codegen import config
from tools.codegen.generate import run


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the generator."""
    parser = argparse.ArgumentParser(prog="python -m tools.codegen", description=__doc__)
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list the files that would change, be added or be removed, and exit 1 if any",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    status = run(config.ROOT, check=args.check)
    print(f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
