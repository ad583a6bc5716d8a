#!/usr/bin/env python
"""Django's command-line utility for the Home Visit Hub."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.base")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from hub.settings.env import ConfigError

    try:
        settings.INSTALLED_APPS  # noqa: B018 - load settings now, so a bad variable is one clear line
    except ConfigError as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
