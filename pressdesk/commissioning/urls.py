from django.urls import path

from pressdesk.commissioning import views

app_name = "commissioning"

urlpatterns = [
    path("", views.index, name="index"),
    path("dot/moi/", views.round_open, name="round_open"),
    path("dot/<int:pk>/", views.round_detail, name="round"),
    path("dot/<int:pk>/<slug:action>/", views.round_action, name="round_action"),
    path("de-xuat/<int:pk>/", views.proposal_detail, name="proposal"),
    path("de-xuat/<int:pk>/<slug:action>/", views.proposal_action, name="proposal_action"),
    path("dong-de-xuat/<int:pk>/sua/", views.proposal_item_edit, name="proposal_item_edit"),
    path("dong-de-xuat/<int:pk>/xoa/", views.proposal_item_remove, name="proposal_item_remove"),
    path("dong-de-xuat/<int:pk>/tham-dinh/", views.item_appraise, name="item_appraise"),
    path("ho-so/<int:pk>/", views.package_detail, name="package"),
    path("ho-so/<int:pk>/<slug:action>/", views.package_action, name="package_action"),
    path("hop-dong/<int:pk>/", views.contract_detail, name="contract"),
    path("hop-dong/<int:pk>/<slug:action>/", views.contract_action, name="contract_action"),
    path("dong-hop-dong/<int:pk>/sua/", views.contract_item_edit, name="contract_item_edit"),
    path("tac-pham/<int:pk>/<slug:action>/", views.delivery_action, name="delivery_action"),
    path("phu-luc/<int:pk>/<slug:action>/", views.amendment_action, name="amendment_action"),
    path("tai-lieu/<slug:kind>/<int:pk>/", views.attachment_upload, name="attachment_upload"),
    path("tai-lieu/<int:pk>/", views.attachment_download, name="attachment"),
]
