from django.urls import path

from pressdesk.monitoring import ingest_views

app_name = "monitoring"

urlpatterns: list = [
    path("nguon-tin/", ingest_views.sources, name="sources"),
    path("nguon-tin/them/", ingest_views.source_add, name="source_add"),
    path("nguon-tin/<int:pk>/", ingest_views.source_detail, name="source"),
]
