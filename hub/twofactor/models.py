"""Two-step sign-in keeps no models of its own: authenticators are django-otp's `TOTPDevice` and backup
codes its `StaticDevice` (created and checked by `hub.twofactor.services`), failed sign-ins are
django-axes' `AccessAttempt`. Their privacy declarations are in `hub.privacy.holdings`."""
