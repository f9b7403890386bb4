"""GS1 Digital Link paths, language-neutral because barcodes are printed once for every reader."""

from django.urls import path

from . import views

urlpatterns = [
    path("<str:gtin>/10/<str:lot>", views.gs1_digital_link, name="gs1_digital_link"),
]
