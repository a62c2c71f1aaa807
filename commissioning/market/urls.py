from django.urls import path

from commissioning.market import views

app_name = "market"

urlpatterns = [
    path("market/providers/", views.provider_list, name="provider_list"),
    path("market/providers/mine/", views.my_provider, name="my_provider"),
    path("market/providers/<int:pk>/", views.provider_detail, name="provider_detail"),
    path("market/providers/<int:pk>/edit/", views.provider_edit, name="provider_edit"),
    path("market/providers/<int:pk>/decide/", views.provider_decide, name="provider_decide"),
    path("market/providers/<int:pk>/services/new/", views.service_edit, name="service_create"),
    path(
        "market/providers/<int:pk>/services/<int:service_pk>/edit/",
        views.service_edit,
        name="service_edit",
    ),
    path("market/sign-up/", views.sign_up, name="sign_up"),
    path("market/approvals/", views.approvals, name="approvals"),
    path("market/imports/", views.import_upload, name="import_upload"),
    path("market/imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("market/imports/<int:pk>/columns/", views.import_columns, name="import_columns"),
    path("market/analyses/", views.analysis_list, name="analysis_list"),
    path("market/analyses/new/", views.analysis_edit, name="analysis_create"),
    path("market/analyses/<int:pk>/", views.analysis_detail, name="analysis_detail"),
    path("market/analyses/<int:pk>/edit/", views.analysis_edit, name="analysis_edit"),
    path("market/analyses/<int:pk>/publish/", views.analysis_publish, name="analysis_publish"),
    path(
        "market/analyses/<int:pk>/tables/<slug:table>.<str:extension>",
        views.analysis_download,
        name="analysis_download",
    ),
    path(
        "market/analyses/<int:pk>/statement.<str:extension>",
        views.statement_document,
        name="statement_document",
    ),
    path("market/register/", views.register, name="register"),
    path("market/accreditation/schemes/new/", views.scheme_create, name="scheme_create"),
    path("market/accreditation/schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path(
        "market/accreditation/schemes/<int:pk>/criteria/new/",
        views.criterion_edit,
        name="criterion_create",
    ),
    path(
        "market/accreditation/schemes/<int:pk>/criteria/<int:criterion_pk>/",
        views.criterion_edit,
        name="criterion_edit",
    ),
    path(
        "market/accreditation/schemes/<int:pk>/recognise/",
        views.scheme_recognise,
        name="scheme_recognise",
    ),
    path(
        "market/accreditation/schemes/<int:pk>/apply/",
        views.application_start,
        name="application_start",
    ),
    path("market/applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("market/evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path(
        "market/accreditations/<int:pk>/revoke/",
        views.accreditation_revoke,
        name="accreditation_revoke",
    ),
]
