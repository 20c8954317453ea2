from django.urls import path

from pressdesk.watch import views

app_name = "watch"

urlpatterns = [
    path("", views.index, name="index"),
    path("da-luu/<int:saved_id>/", views.saved_open, name="saved_open"),
    path("da-luu/<int:saved_id>/xoa/", views.saved_delete, name="saved_delete"),
    path("canh-bao/", views.alerts, name="alerts"),
    path("canh-bao/<int:alert_id>/", views.alert_detail, name="alert"),
    path("quy-tac/", views.rules, name="rules"),
    path("mang-xa-hoi/", views.social_page, name="social"),
]
