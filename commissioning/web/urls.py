from django.urls import path

from commissioning.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("language/<str:language>/", views.switch_language, name="switch_language"),
    path("healthz/", views.health, name="health"),
]
