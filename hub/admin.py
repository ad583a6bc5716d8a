from django.contrib import admin
from django.core.validators import validate_image_file_extension
from wagtail.images import admin as _wagtail_images_admin  # noqa: F401  registers Image first (below)
from wagtail.images import get_image_model

from hub.models import District, Language, Partner, Person, Region, School
from hub.uploads import IMAGE, FileContentValidator


class ReadOnlyAdmin:
    """Mix into the ModelAdmin of rows only the services write (`class X(ReadOnlyAdmin, admin.ModelAdmin)`):
    support staff see them, but never add or change one, since that would bypass the rule the service
    enforces. Deleting is refused too, unless the admin sets `deletable = True` (then Django's usual
    delete permission decides), for rows whose removal breaks no rule."""

    deletable = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return self.deletable and super().has_delete_permission(request, obj)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "full_name", "code"]
    search_fields = ["name", "full_name"]


class SchoolInline(admin.TabularInline):
    model = School
    extra = 0


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "leap_since"]
    list_filter = ["region"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SchoolInline]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "grades"]
    list_filter = ["district"]
    search_fields = ["name"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["districts"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["__str__", "job_title", "home_district", "school", "partner"]
    list_filter = ["home_district__region", "home_district"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "user__email"]
    list_select_related = ["user", "home_district", "school", "partner"]
    autocomplete_fields = ["home_district", "school", "partner"]
    filter_horizontal = ["languages"]
    raw_id_fields = ["user"]


class WagtailImageAdmin(admin.ModelAdmin):
    """Wagtail images in the Django admin (/django-admin/wagtailimages/image/add/), as Wagtail registers
    them, with the uploads check on the form field itself. The model field's check
    (hub.upload_validation) comes too late here: assigning a file to an image reads its width and
    height, and a picture Pillow opens but Wagtail cannot (PPM, TGA, PCX...) was a server error. The
    check replaces Django's extension check, whose message offered every format Pillow knows."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "file":
            field.validators = [*(v for v in field.validators if v is not validate_image_file_extension),
                                FileContentValidator((IMAGE,))]
        return field


if admin.site.is_registered(get_image_model()):
    admin.site.unregister(get_image_model())
    admin.site.register(get_image_model(), WagtailImageAdmin)
