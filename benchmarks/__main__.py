"""``python -m benchmarks``: run every benchmark, print the table and rewrite BENCHMARKS.md."""

from benchmarks.run import main

raise SystemExit(main())
