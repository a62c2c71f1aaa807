from django.urls import path

from commissioning.plans import views

app_name = "plans"

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/scope/", views.plan_scope, name="plan_scope"),
    path("plans/<int:pk>/evidence/", views.plan_evidence, name="plan_evidence"),
    path("plans/<int:pk>/sections/<slug:kind>/", views.section_edit, name="section_edit"),
    path("plans/<int:pk>/outcomes/new/", views.outcome_edit, name="outcome_create"),
    path("plans/<int:pk>/outcomes/<int:outcome_pk>/", views.outcome_edit, name="outcome_edit"),
    path(
        "plans/<int:pk>/outcomes/<int:outcome_pk>/indicators/new/",
        views.indicator_edit,
        name="indicator_create",
    ),
    path(
        "plans/<int:pk>/outcomes/<int:outcome_pk>/indicators/<int:indicator_pk>/",
        views.indicator_edit,
        name="indicator_edit",
    ),
    path("plans/<int:pk>/intentions/new/", views.intention_edit, name="intention_create"),
    path(
        "plans/<int:pk>/intentions/<int:intention_pk>/edit/",
        views.intention_edit,
        name="intention_edit",
    ),
    path("plans/intentions/<int:pk>/", views.intention_detail, name="intention_detail"),
    path("plans/<int:pk>/appraisals/new/", views.appraisal_create, name="appraisal_create"),
    path(
        "plans/<int:pk>/appraisals/<int:appraisal_pk>/",
        views.appraisal_detail,
        name="appraisal_detail",
    ),
    path(
        "plans/<int:pk>/appraisals/<int:appraisal_pk>/options/<int:option_pk>/score/",
        views.option_score,
        name="option_score",
    ),
    path("plans/<int:pk>/risks/new/", views.risk_edit, name="risk_create"),
    path("plans/<int:pk>/risks/<int:risk_pk>/", views.risk_edit, name="risk_edit"),
    path("plans/<int:pk>/resources/new/", views.resource_edit, name="resource_create"),
    path("plans/<int:pk>/resources/<int:resource_pk>/", views.resource_edit, name="resource_edit"),
    path("plans/<int:pk>/<slug:part>/<int:part_pk>/remove/", views.part_remove, name="part_remove"),
    path("plans/<int:pk>/governance/", views.plan_governance, name="plan_governance"),
    path("plans/<int:pk>/move/", views.plan_move, name="plan_move"),
    path("plans/<int:pk>/sign-off/", views.plan_sign_off, name="plan_sign_off"),
    path("plans/<int:pk>/refer-back/", views.plan_refer_back, name="plan_refer_back"),
    path(
        "plans/<int:pk>/referrals/<int:referral_pk>/answer/",
        views.referral_answer,
        name="referral_answer",
    ),
    path("plans/<int:pk>/audit/", views.plan_audit, name="plan_audit"),
    path("plans/<int:pk>/next-version/", views.plan_next_version, name="plan_next_version"),
    path("plans/<int:pk>/compare/", views.plan_compare, name="plan_compare"),
    path("plans/<int:pk>/plan.<str:extension>", views.plan_document, name="plan_document"),
]
