"""Root URLs. Each audience app declares its own patterns; the namespaces say whose pages they are."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from contactsessions.alerts import urls as alerts_urls
from contactsessions.lib.forms import LockoutClearingSetPasswordForm, PrivacyPasswordResetForm
from contactsessions.lib.health import health
from contactsessions.lib.media import serve_media
from contactsessions.office import urls as office_urls
from contactsessions.public import urls as public_urls
from contactsessions.public.successors import follow

auth_patterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(form_class=PrivacyPasswordResetForm),
        name="password_reset",
    ),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=LockoutClearingSetPasswordForm),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

# A database outage met outside a view is a 503 with Retry-After too (lib.outage).
handler500 = "contactsessions.lib.outage.server_error"

urlpatterns = [
    path("healthz/", health, name="health"),
    path("media/<path:path>", serve_media, name="media"),
    path("admin/", admin.site.urls),
    path("accounts/", include(auth_patterns)),
    path("office/panel/", include((office_urls.panel_patterns, "panel"))),
    path("office/", include((office_urls.officer_patterns, "officer"))),
    path("board/", include((office_urls.board_patterns, "board"))),
    path("monitoring/", include("contactsessions.monitoring.urls")),
    path("api/", include((public_urls.api_patterns, "api"))),
]

# The public pages in every language of settings.LANGUAGES: English without a prefix (the
# addresses people already hold), the others under theirs (/pl/wards/<code>/). The API,
# the back office and the admin stay on one English address each.
urlpatterns += i18n_patterns(
    path("", include((public_urls.locate_patterns, "locate"))),
    path("", include((public_urls.page_patterns, "public"))),
    path("", include((alerts_urls.patterns(follow), "alerts"))),
    prefix_default_language=False,
)

# Errors in the site's layout, and as JSON with CORS under /api/.
handler404 = "contactsessions.public.views.errors.page_not_found"
handler500 = "contactsessions.public.views.errors.server_error"
