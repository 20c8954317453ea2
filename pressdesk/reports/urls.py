from django.urls import path

from pressdesk.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("csv/<slug:key>/", views.csv_download, name="csv"),
    path("plotly.min.js", views.plotly_js, name="plotly_js"),
    path("lap-bao-cao/", views.report_create, name="report_create"),
    path("tai-ve/<int:job_id>/", views.report_download, name="report_download"),
    path("kiem-tra/", views.verification_index, name="verifications"),
    path("kiem-tra/<int:delivery_id>/", views.verification_detail, name="verification"),
    path("kiem-tra/<int:delivery_id>/chay/", views.verification_run, name="verification_run"),
    path("kiem-tra/xac-nhan/<int:verification_id>/", views.verification_decide, name="verification_decide"),
    path("kiem-tra/lien-ket/", views.suggestion_link, name="suggestion_link"),
]
