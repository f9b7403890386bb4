from django.urls import path

from . import feeds, views

app_name = "trace"

# Printed on labels as QR codes: these paths are a contract (see DESIGN.md).
urlpatterns = [
    path("", views.lookup, name="lookup"),
    # The transparency log: "log" can never be a lot code (it has an L and an O).
    path("log/checkpoint", views.log_checkpoint, name="log_checkpoint"),
    path("log/key", views.log_key, name="log_key"),
    path("log/inclusion/<int:index>/<int:size>/", views.log_inclusion, name="log_inclusion"),
    path("log/consistency/<int:old>/<int:new>/", views.log_consistency, name="log_consistency"),
    # "recalls" can never be a lot code either (it has an L).
    path("recalls/rss/", feeds.RecallRssFeed(), name="recalls_rss"),
    path("recalls/atom/", feeds.RecallAtomFeed(), name="recalls_atom"),
    path("<str:code>/", views.batch_detail, name="batch"),
    path("<str:code>/qr.svg", views.batch_qr_svg, name="qr_svg"),
    path("<str:code>/qr.png", views.batch_qr_png, name="qr_png"),
    path("<str:code>/bundle.json", views.batch_bundle, name="bundle"),
]
