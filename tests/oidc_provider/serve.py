"""Start the test OpenID Connect provider: `python -m tests.oidc_provider.serve PORT` with PROVIDER_DB,
PROVIDER_CLIENT_ID, PROVIDER_CLIENT_SECRET, PROVIDER_REDIRECT_URI and PROVIDER_USERS (JSON: a list of
[user name, email, first name, last name]) in the environment. Migrates its own database, creates the
users and the Hub's client application, then serves on 127.0.0.1:PORT until stopped."""

import json
import os
import sys


def main(port: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", "--no-input", "-v0")
    User = get_user_model()
    for username, email, first, last in json.loads(os.environ.get("PROVIDER_USERS", "[]")):
        User.objects.update_or_create(username=username, defaults={"email": email, "first_name": first,
                                                                   "last_name": last})
    Application.objects.update_or_create(client_id=os.environ["PROVIDER_CLIENT_ID"], defaults={
        "client_secret": os.environ["PROVIDER_CLIENT_SECRET"], "name": "Home Visit Hub",
        "client_type": Application.CLIENT_CONFIDENTIAL,
        "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
        "redirect_uris": os.environ["PROVIDER_REDIRECT_URI"], "algorithm": Application.RS256_ALGORITHM,
        "skip_authorization": True})
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, skip_checks=True)


if __name__ == "__main__":
    main(sys.argv[1])
