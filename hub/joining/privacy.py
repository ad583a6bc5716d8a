"""What joining holds about a person (registered into the privacy registry from JoiningConfig.ready())."""

from hub.privacy.holdings import STAFF_ACT
from hub.privacy.registry import PERSON, anonymise, delete, exempt_register, holding_register, keep

holding_register(
    "joining.Invitation", subject=PERSON, find="account", section="Your invitation to the Hub",
    fields=[("Sent to", "email"), ("Name", "name"), ("Role", "role"), ("District", "district.name"),
            ("Language", "language"), ("Sent", "created_at"), ("Accepted", "accepted_at")],
    erase=anonymise(email=lambda row, subject: f"removed-{row.pk}@invalid", name="(removed)"),
    reason="How your account was made and with which role and district (the audit trail names it). "
           "Erasure removes your address and name; the row stays as a count of invitations.")
holding_register(
    "joining.Invitation", subject=PERSON, find="invited_by", section="Invitations you sent",
    fields=[("Sent to", "email"), ("Role", "role"), ("Sent", "created_at")],
    erase=keep(), reason=f"Invitations: {STAFF_ACT}.")
holding_register(
    "joining.LearnerRequest", subject=PERSON, find="account", section="Your request to take LEAP 101",
    fields=[("Email", "email"), ("Name", "name"), ("Organisation", "organisation"),
            ("State, province or region", "region"), ("Country", "country"), ("Language", "language"),
            ("State", "state"), ("Asked", "created_at"), ("Decided", "decided_at")],
    erase=anonymise(email=lambda row, subject: f"removed-{row.pk}@invalid", name="(removed)",
                    organisation="(removed)", region="(removed)", country="(removed)", reason=""),
    reason="How your learner account was made and who approved it (the audit trail names it). Erasure removes "
           "your address, name, organisation and region; the row stays as a count of requests.")
holding_register(
    "joining.LearnerRequest", subject=PERSON, find="decided_by", section="Learner requests you decided",
    fields=[("Name", "name"), ("State", "state"), ("Decided", "decided_at")],
    erase=keep(), reason=f"Approving learners: {STAFF_ACT}.")
# Single sign-on (django-allauth, hub/joining/sso.py): the link from a school account to the Hub account.
holding_register(
    "socialaccount.SocialAccount", subject=PERSON, find="user", section="School account sign-in",
    fields=[("Provider", "provider"), ("Account id at the provider", "uid"), ("Last sign-in", "last_login"),
            ("What the provider sent", "extra_data")],
    erase=delete(), reason="Lets you sign in with your school account; what the provider sent at the last "
                           "sign-in (name, email). Erasure removes the link.")
holding_register(
    "account.EmailAddress", subject=PERSON, find="user", section="School account sign-in",
    fields=[("Email", "email"), ("Verified", "verified")], erase=delete(),
    reason="allauth's copy of your address (the Hub signs you in by it). Erasure removes it.")
exempt_register("socialaccount.SocialToken", reason="Never stored (SOCIALACCOUNT_STORE_TOKENS is off).")
exempt_register("account.EmailConfirmation", reason="Not used: the Hub sends no allauth confirmation emails.")
