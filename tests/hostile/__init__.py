"""Issue 9: every promise holds against hostile servers, callers and concurrency."""
