#!/usr/bin/env python
"""Django's command-line entry point for argmap.

Settings are loaded first, so that a start failure (the embedded database, a missing secret
key) is one line naming the cause rather than Django's "Unknown command" or a traceback.
"""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "argmap.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS
    except ImproperlyConfigured as error:
        sys.exit(f"argmap cannot start: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
