"""The generic import pipeline (issue 14): read → find the header → map columns → normalise →
validate → preview → one atomic write → batch with the original file and an error report;
wizard, command line and background worker. A target (enterprise list, project schedule)
declares its columns, keys and writer (imports.targets); docs/import.md."""
