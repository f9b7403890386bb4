from django.urls import path

from . import views

app_name = "trace"

# Printed on labels as QR codes: these paths are a contract (see DESIGN.md).
urlpatterns = [
    path("", views.lookup, name="lookup"),
    path("<str:code>/", views.batch_detail, name="batch"),
    path("<str:code>/qr.svg", views.batch_qr_svg, name="qr_svg"),
    path("<str:code>/qr.png", views.batch_qr_png, name="qr_png"),
]
