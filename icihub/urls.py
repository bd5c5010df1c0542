"""Root routes: pages under a language prefix (/en/, /ar/), the API and its schema without one."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers
from rest_framework.routers import DefaultRouter

from icihub.accounts import mfa, stepup
from icihub.accounts.api_token import obtain_token
from icihub.accounts.portal import my_page, start_page
from icihub.accounts.security import LockingAuthenticationForm
from icihub.accounts.views import account as account_view
from icihub.catalogue.api import CourseViewSet
from icihub.certificates.views import VerifyView, public_key
from icihub.language import set_language
from icihub.nominations.api import NominationViewSet, PersonViewSet
from icihub.nominations.views import calendar_feed
from icihub.operations.health import healthz
from icihub.partners.api import FrameworkViewSet, NationViewSet, OrganisationViewSet
from icihub.planning.api import IterationViewSet
from icihub.programmes.api import EventViewSet, GoalViewSet, MenuActivityViewSet, ProgrammeViewSet
from icihub.reports.api import ReportFileDownloadView, ReportFilesView, ReportFileView, YearReportView


class APIRootView(routers.APIRootView):
    """The list of endpoints is public, like the reference data it leads to."""

    policy_resource = "reference"


# Swagger UI's page keeps a small <style> block of its own: only this page lets inline styles in;
# its scripts are files (the split view serves the start-up script as one), as everywhere else.
api_docs = csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

router = DefaultRouter()
router.APIRootView = APIRootView
router.register("frameworks", FrameworkViewSet, basename="framework")
router.register("nations", NationViewSet, basename="nation")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("courses", CourseViewSet, basename="course")
router.register("iterations", IterationViewSet, basename="iteration")
router.register("nominations", NominationViewSet, basename="nomination")
router.register("persons", PersonViewSet, basename="person")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("goals", GoalViewSet, basename="goal")
router.register("menu", MenuActivityViewSet, basename="menu-activity")
router.register("events", EventViewSet, basename="event")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("api/", include(router.urls)),
    path("api/token/", obtain_token, name="api-token"),
    path("api/reports/year/", YearReportView.as_view(), name="api-report-year"),
    path("api/reports/files/", ReportFilesView.as_view(), name="api-report-files"),
    path("api/reports/files/<str:public_id>/", ReportFileView.as_view(), name="api-report-file"),
    path("api/reports/files/<str:public_id>/file", ReportFileDownloadView.as_view(), name="api-report-file-download"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file, so the page meets the CSP.
    path("api/docs/", api_docs, name="api-docs"),
    # A calendar application fetches the feed without a session: the secret token is the credential.
    path("calendar/<str:token>.ics", calendar_feed, name="calendar-feed"),
    # Public: certificate verification by number, and the keys credentials are signed with.
    path("api/verify/<str:number>/", VerifyView.as_view(), name="api-verify"),
    path("keys/<str:kid>.json", public_key, name="public-key"),
]
urlpatterns += i18n_patterns(
    path("", include("icihub.catalogue.urls")),
    path("", include("icihub.nominations.urls")),
    path("", include("icihub.planning.urls")),
    path("", include("icihub.certificates.urls")),
    path("", include("icihub.delivery.urls")),
    path("", include("icihub.evaluation.urls")),
    path("", include("icihub.programmes.urls")),
    path("", include("icihub.programmes.menu_urls")),
    path("", include("icihub.audit.urls")),
    path("", include("icihub.operations.urls")),
    path("", include("icihub.reports.urls")),
    path("my/", my_page, name="my"),
    path("start/", start_page, name="start"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LockingAuthenticationForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", account_view, name="account"),
    path("accounts/confirm/", stepup.confirm, name="step-up"),
    path("accounts/mfa/", mfa.verify, name="mfa-verify"),
    path("accounts/mfa/setup/", mfa.setup, name="mfa-setup"),
    path("accounts/mfa/recovery/", mfa.new_recovery_codes, name="mfa-recovery"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(email_template_name="registration/password_reset_email.txt"),
        name="password_reset",
    ),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
)
