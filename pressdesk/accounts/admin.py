from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from pressdesk.accounts.models import Membership, Organisation, Outlet, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "valid_from", "valid_to", "successor"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["parent", "successor"]


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "agency", "kind", "level", "active"]
    list_filter = ["kind", "level", "active"]
    search_fields = ["name"]
    autocomplete_fields = ["agency"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "valid_from", "valid_to"]
    list_filter = ["role"]
    autocomplete_fields = ["user", "organisation"]
