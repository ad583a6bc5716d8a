"""Print where the Hub keeps uploaded files, as backup.sh and restore.sh need it.

    python scripts/file_stores.py [--all]

One line per file-system store: `store <name> <absolute path>`. The locations are read from Django's
settings exactly as the Hub reads them (MEDIA_ROOT, STORAGES, django-filer's FILER_STORAGES; filer's
private files live in MEDIA_ROOT/../smedia/ by default). Without --all, a store inside another one is
left out (its files are already in the outer one's tar). A store that is not on the file system
(e.g. S3) is reported as `warning <name> ...`: back it up with its own tools.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.base")
    from hub.settings.env import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        return 2
    from django.conf import settings
    from django.core.files.storage import default_storage
    from filer import settings as filer_settings

    found = [("media", str(settings.MEDIA_ROOT))]
    default_location = getattr(default_storage, "location", None)
    if default_location and os.path.abspath(default_location) != os.path.abspath(settings.MEDIA_ROOT):
        found.append(("default_storage", default_location))
    for name, storage in [
        ("filer_public", filer_settings.FILER_PUBLICMEDIA_STORAGE),
        ("filer_public_thumbnails", filer_settings.FILER_PUBLICMEDIA_THUMBNAIL_STORAGE),
        ("filer_private", filer_settings.FILER_PRIVATEMEDIA_STORAGE),
        ("filer_private_thumbnails", filer_settings.FILER_PRIVATEMEDIA_THUMBNAIL_STORAGE),
    ]:
        location = getattr(storage, "location", None)
        if location is None:
            print("warning", name, f"{type(storage).__name__} is not on the file system: back it up with its own tools")
        else:
            found.append((name, location))
    kept: list[tuple[str, str]] = []
    for name, location in found:
        path = os.path.abspath(location)
        if name in {n for n, _ in kept}:
            continue
        nested = any(path == p or path.startswith(p + os.sep) for _, p in kept)
        if nested and "--all" not in sys.argv:
            continue
        kept.append((name, path))
    for name, path in kept:
        print("store", name, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
