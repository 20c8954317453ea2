from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from pressdesk.api import api
from pressdesk.core import ops_views, twofactor
from pressdesk.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("xac-thuc/", twofactor.verify, name="otp-verify"),
    path("tai-khoan/hai-buoc/", twofactor.enrol, name="otp-enrol"),
    path("healthz", ops_views.healthz, name="healthz"),
    path("metrics", ops_views.metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("quan-tri/", admin.site.urls),
    path("api/", api.urls),
    path("ke-hoach/", include("pressdesk.plans.urls")),
    path("dat-hang/", include("pressdesk.commissioning.urls")),
    path("theo-doi/", include("pressdesk.monitoring.urls")),
    path("canh-bao/", include("pressdesk.watch.urls")),
    path("thong-tin/", include("pressdesk.infohub.urls")),
    path("bao-cao/", include("pressdesk.reports.urls")),
]
