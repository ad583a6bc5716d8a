"""Two-step sign-in has no admin of its own: django-otp's own admin lists authenticators and backup-code
sets (`/django-admin/otp_totp/`, `/django-admin/otp_static/`), and django-axes' lists failed sign-ins.
People set up, regenerate and turn off their second step on their profile page (`hub.twofactor.views`),
which applies the rules (staff may not turn it off)."""
