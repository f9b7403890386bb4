from django.urls import path

from . import views

app_name = "feedback"
urlpatterns = [
    path("review/<int:product_id>/", views.submit_review, name="submit_review"),
    path("question/<int:page_id>/", views.submit_question, name="submit_question"),
    path("sent/", views.sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]
