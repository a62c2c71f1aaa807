from django.urls import path

from commissioning.needs import views

app_name = "needs"

urlpatterns = [
    path("", views.assessment_list, name="assessment_list"),
    path("new/", views.assessment_create, name="assessment_create"),
    path("<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("<int:pk>/edit/", views.assessment_edit, name="assessment_edit"),
    path("<int:pk>/publish/", views.assessment_publish, name="assessment_publish"),
    path("<int:pk>/next-version/", views.assessment_next_version, name="assessment_next_version"),
    path(
        "<int:pk>/tables/<slug:table>.<str:extension>",
        views.assessment_download,
        name="assessment_download",
    ),
]
