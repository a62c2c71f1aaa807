from django.urls import path

from commissioning.engagement import views

app_name = "engagement"

urlpatterns = [
    path("plans/<int:pk>/engagement/", views.plan_engagement, name="plan_engagement"),
    path("plans/<int:pk>/groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/members/new/", views.member_add, name="member_add"),
    path(
        "groups/<int:pk>/members/<int:member_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "groups/<int:pk>/members/<int:member_pk>/declare/",
        views.declaration_create,
        name="declaration_create",
    ),
    path("groups/<int:pk>/meetings/new/", views.meeting_edit, name="meeting_create"),
    path("groups/<int:pk>/meetings/<int:meeting_pk>/", views.meeting_edit, name="meeting_edit"),
    path("interests/", views.register_of_interests, name="register_of_interests"),
    path("interests/<int:pk>/end/", views.declaration_end, name="declaration_end"),
    path("consultations/", views.consultation_list, name="consultation_list"),
    path(
        "plans/<int:pk>/consultations/new/", views.consultation_create, name="consultation_create"
    ),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="consultation_edit"),
    path(
        "consultations/<int:pk>/respond/", views.consultation_respond, name="consultation_respond"
    ),
    path(
        "consultations/<int:pk>/results/", views.consultation_results, name="consultation_results"
    ),
    path(
        "consultations/<int:pk>/responses.<str:extension>",
        views.consultation_export,
        name="consultation_export",
    ),
    path(
        "consultations/<int:pk>/questions/<int:question_pk>/answers/",
        views.text_answers,
        name="text_answers",
    ),
    path("consultations/<int:pk>/questions/new/", views.question_edit, name="question_create"),
    path(
        "consultations/<int:pk>/questions/<int:question_pk>/",
        views.question_edit,
        name="question_edit",
    ),
    path(
        "consultations/<int:pk>/questions/<int:question_pk>/<slug:action>/",
        views.question_change,
        name="question_change",
    ),
    path("consultations/<int:pk>/documents/new/", views.document_attach, name="document_attach"),
    path(
        "consultations/<int:pk>/documents/<int:document_pk>/",
        views.document_download,
        name="document_download",
    ),
    path(
        "consultations/<int:pk>/documents/<int:document_pk>/remove/",
        views.document_remove,
        name="document_remove",
    ),
    path(
        "consultations/<int:pk>/publish/", views.consultation_publish, name="consultation_publish"
    ),
    path(
        "consultations/<int:pk>/closing-date/",
        views.consultation_closing_date,
        name="consultation_closing_date",
    ),
    path(
        "consultations/<int:pk>/you-said-we-did/",
        views.consultation_response,
        name="consultation_response",
    ),
    path("consultations/<int:pk>/record/", views.consultation_record, name="consultation_record"),
    path("plans/<int:pk>/engagement/activities/new/", views.activity_edit, name="activity_create"),
    path(
        "plans/<int:pk>/engagement/activities/<int:activity_pk>/",
        views.activity_edit,
        name="activity_edit",
    ),
    path(
        "plans/<int:pk>/engagement/activities/<int:activity_pk>/remove/",
        views.activity_remove,
        name="activity_remove",
    ),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path(
        "subscriptions/confirm/<str:token>/",
        views.subscription_confirm,
        name="subscription_confirm",
    ),
    path("subscriptions/stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
