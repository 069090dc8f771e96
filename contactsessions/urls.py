"""Root URLs: one namespace per audience, each in its own module."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from contactsessions.forms import PrivacyPasswordResetForm
from contactsessions.views.health import health

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
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("healthz/", health, name="health"),
    path("admin/", admin.site.urls),
    path("accounts/", include(auth_patterns)),
    path("office/", include(("contactsessions.urls_officer", "officer"))),
    path("monitoring/", include(("contactsessions.urls_monitoring", "monitoring"))),
    path("", include(("contactsessions.urls_locate", "locate"))),
    path("board/", include(("contactsessions.urls_board", "board"))),
    path("api/", include(("contactsessions.urls_api", "api"))),
    path("", include(("contactsessions.urls_public", "public"))),
]
