"""The Django admin never adds or changes rows that only the services write (hub.admin.ReadOnlyAdmin)."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from hub.admin import ReadOnlyAdmin

# model label -> whether support staff may delete its rows from the admin (as before the mixin)
READ_ONLY = {
    "audit.AuditEntry": False,
    "courses.Certificate": False,
    "courses.PracticeCredit": True,
    "training_sessions.Registration": True,
    "roundtable.FamilySignup": True,
}


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "deletable"), sorted(READ_ONLY.items()))
def test_a_read_only_admin_refuses_adding_and_changing_even_to_a_superuser(label, deletable):
    model_admin = next(a for m, a in admin.site._registry.items() if m._meta.label == label)
    request = RequestFactory().get("/django-admin/")
    request.user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    assert isinstance(model_admin, ReadOnlyAdmin)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert model_admin.has_delete_permission(request) is deletable
