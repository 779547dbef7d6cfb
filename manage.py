#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "school.settings.dev")
    # Commands (migrations, benchmarks, backups) may run long statements; the
    # web server keeps the limit (school/settings/base.py).
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT_MS", "0")

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
