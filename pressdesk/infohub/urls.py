app_name = "infohub"

urlpatterns: list = []
