from django.urls import path

from pressdesk.infohub import feeds, views

app_name = "infohub"

urlpatterns = [
    path("", views.index, name="index"),
    # public (no login)
    path("thong-cao/", views.public_list, name="public_list"),
    path("thong-cao/atom.xml", feeds.AllReleasesFeed(), name="feed_all"),
    path("thong-cao/co-quan/<int:body_id>/", views.public_list, name="public_body"),
    path("thong-cao/co-quan/<int:body_id>/atom.xml", feeds.BodyReleasesFeed(), name="feed_body"),
    path("thong-cao/xem/<slug:slug>/", views.public_detail, name="public_detail"),
    path("tep/<int:pk>/", views.attachment_download, name="attachment"),
    path("dang-ky/", views.subscribe, name="subscribe"),
    path("dang-ky/xac-nhan/<str:token>/", views.subscription_confirm, name="subscription_confirm"),
    path("dang-ky/huy/<str:token>/", views.subscription_unsubscribe, name="subscription_unsubscribe"),
    path("nguoi-phat-ngon/", views.spokesperson_directory, name="spokespersons"),
    # staff
    path("soan/", views.release_new, name="release_new"),
    path("thong-cao/<int:pk>/", views.release_detail, name="release_detail"),
    path("thong-cao/<int:pk>/sua/", views.release_edit, name="release_edit"),
    path("thong-cao/<int:pk>/<slug:action>/", views.release_action, name="release_action"),
    path("yeu-cau/moi/", views.inquiry_new, name="inquiry_new"),
    path("yeu-cau/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("yeu-cau/<int:pk>/<slug:action>/", views.inquiry_action, name="inquiry_action"),
    path("nguoi-phat-ngon/quan-ly/", views.spokesperson_admin, name="spokesperson_admin"),
    path("su-kien/", views.events, name="events"),
    path("su-kien/<int:pk>/<slug:action>/", views.event_action, name="event_action"),
    path("cong-tac-vien/", views.collaborators, name="collaborators"),
    path("phong-vien-thuong-tru/", views.reporters, name="reporters"),
    path("trang-web/", views.websites, name="websites"),
]
