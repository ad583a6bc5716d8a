"""AuditEntry now belongs to the `audit` app (hub/audit). Its table stays as it is: this only removes the
model from coordinators' migration state, after audit's first migration has taken it over."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("coordinators", "0004_form_tokens_for_checks_and_assignments"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        ),
    ]
