"""Two-step sign-in (django-otp): TOTP authenticator apps plus single-use backup codes.

Who must use it: `selectors.second_factor_required`. Enrolment and verification: `services`. The HTTP
gate: `middleware.TwoStepMiddleware`; websocket consumers call `selectors.session_verified` at connect.
"""
