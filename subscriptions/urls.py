"""Served under /<lang>/subscribe/ (registered through cms.extensions.PUBLIC_URLS)."""

from django.urls import path

from subscriptions import views

app_name = "subscriptions"
urlpatterns = [
    path("", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
