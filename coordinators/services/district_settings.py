"""A district's settings (visits in pairs or not) and the data-sharing agreements that let a community
partner's visitors serve a district. The reads are `coordinators.selectors.eligibility.district_settings`
and `agreements_in_force`."""

from datetime import date

from django.db import transaction

from coordinators import errors
from coordinators.models import DataSharingAgreement, DistrictSettings
from coordinators.selectors.access import require_manager
from hub.models import District, Partner


@transaction.atomic
def district_settings_set(*, district: District, by, visits_in_pairs: bool) -> DistrictSettings:
    if by is not None:
        require_manager(by, district.pk)
    found, _ = DistrictSettings.objects.update_or_create(district=district,
                                                         defaults={"visits_in_pairs": visits_in_pairs})
    return found


@transaction.atomic
def data_sharing_agreement_record(*, partner: Partner, district: District, signed_on: date,
                                  expires_on: date | None = None) -> DataSharingAgreement:
    if expires_on is not None and expires_on <= signed_on:
        raise errors.CoordinatorsError("An agreement must expire after the day it was signed.")
    agreement, _ = DataSharingAgreement.objects.update_or_create(
        partner=partner, district=district, signed_on=signed_on, defaults={"expires_on": expires_on})
    return agreement
