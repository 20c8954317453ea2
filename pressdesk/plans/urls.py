from django.urls import path

from pressdesk.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.index, name="index"),
    path("nhap/", views.plan_import, name="import"),
    path("<int:year>/", views.plan_detail, name="detail"),
    path("<int:year>/dinh-huong/", views.orientation_list, name="orientations"),
    path("<int:year>/dinh-huong/moi/", views.orientation_new, name="orientation_new"),
    path("linh-vuc/<int:pk>/", views.area_detail, name="area"),
    path("noi-dung/<int:pk>/", views.topic_detail, name="topic"),
    path("su-kien/<int:pk>/", views.event_detail, name="event"),
]
