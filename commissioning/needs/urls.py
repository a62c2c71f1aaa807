from django.urls import path

from commissioning.needs import views

app_name = "needs"

urlpatterns = [
    path("needs-assessments/", views.assessment_list, name="assessment_list"),
    path("needs-assessments/new/", views.assessment_create, name="assessment_create"),
    path("needs-assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("needs-assessments/<int:pk>/edit/", views.assessment_edit, name="assessment_edit"),
    path(
        "needs-assessments/<int:pk>/publish/", views.assessment_publish, name="assessment_publish"
    ),
    path(
        "needs-assessments/<int:pk>/next-version/",
        views.assessment_next_version,
        name="assessment_next_version",
    ),
    path(
        "needs-assessments/<int:pk>/tables/<slug:table>.<str:extension>",
        views.assessment_download,
        name="assessment_download",
    ),
    path(
        "needs-assessments/<int:pk>/assessment.<str:extension>",
        views.assessment_document,
        name="assessment_document",
    ),
    path("population-data/", views.data_list, name="data_list"),
    path("population-data/upload/", views.population_upload, name="population_upload"),
    path("population-data/<int:pk>/", views.dataset_detail, name="dataset_detail"),
    path("population-data/prevalence/upload/", views.prevalence_upload, name="prevalence_upload"),
]
