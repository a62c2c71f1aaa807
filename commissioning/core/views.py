from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.audit import selectors as audit_selectors
from commissioning.core import selectors, services, throttle
from commissioning.core.access import Action, can, require
from commissioning.core.forms import (
    AddMemberForm,
    ApiTokenForm,
    ChooseNewPasswordForm,
    OrganisationSearchForm,
    RemoveMemberForm,
    ResetRequestForm,
    SignInForm,
)


class SignInView(auth_views.LoginView):
    template_name = "core/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        language = getattr(form.get_user(), "preferred_language", "en")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            samesite="Lax",
            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        )
        return response


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


class ResetRequestView(auth_views.PasswordResetView):
    template_name = "core/password_reset_request.html"
    form_class = ResetRequestForm
    email_template_name = "core/email/password_reset.txt"
    subject_template_name = "core/email/password_reset_subject.txt"
    success_url = reverse_lazy("core:password_reset_sent")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        services.request_password_reset(
            email=form.cleaned_data["email"],
            client=throttle.client_address(self.request),
            base_url=self.request.build_absolute_uri("/"),
        )
        return redirect(self.success_url)


class ResetSentView(auth_views.PasswordResetDoneView):
    template_name = "core/password_reset_sent.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/password_reset_confirm.html"
    form_class = ChooseNewPasswordForm
    success_url = reverse_lazy("core:password_reset_complete")

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        if not context.get("validlink"):
            kwargs["status"] = 400  # an expired, used or mangled link
        return super().render_to_response(context, **kwargs)


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/password_reset_complete.html"


@require_http_methods(["GET", "POST"])
def sign_up_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link emailed to someone who has just signed up. Opening it asks them to confirm (a
    mail scanner opening links confirms nothing); confirming signs them in."""
    if request.method == "POST":
        person = services.confirm_sign_up(uidb64=uidb64, token=token)
        if person is None:
            return render(request, "core/sign_up_confirm.html", {"valid": False}, status=400)
        login(request, person, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your email address is confirmed and you are signed in."))
        return redirect("web:dashboard")
    return render(request, "core/sign_up_confirm.html", {"valid": True})


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/account.html",
        {
            "memberships": selectors.memberships_of(request.user),
            "invitations": selectors.open_invitations_for(request.user),
            "tokens": selectors.api_tokens_of(request.user),
            "form": ApiTokenForm(),
        },
    )


def _answer_invitation(request: HttpRequest, answer: Callable[[Any], str]) -> HttpResponse:
    """Accept or decline: `answer` calls the service and says what happened."""
    try:
        messages.success(request, answer(request.user))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("core:account")


@login_required
@require_POST
def invitation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_for(request.user, pk)

    def accept(actor: Any) -> str:
        membership = services.accept_invitation(actor=actor, invitation=invitation)
        return _("You have joined %(organisation)s as %(role)s.") % {
            "organisation": membership.organisation.name,
            "role": membership.get_role_display(),
        }

    return _answer_invitation(request, accept)


@login_required
@require_POST
def invitation_decline(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_for(request.user, pk)

    def decline(actor: Any) -> str:
        services.decline_invitation(actor=actor, invitation=invitation)
        return _("You declined the invitation to join %(organisation)s.") % {
            "organisation": invitation.organisation.name
        }

    return _answer_invitation(request, decline)


@login_required
@require_POST
def api_token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    new_token = None
    if form.is_valid():
        _token, new_token = services.create_api_token(
            actor=request.user, name=form.cleaned_data["name"]
        )
        form = ApiTokenForm()
    return render(
        request,
        "core/account.html",
        {
            "memberships": selectors.memberships_of(request.user),
            "tokens": selectors.api_tokens_of(request.user),
            "form": form,
            "new_token": new_token,
        },
        status=200 if new_token or not form.errors else 400,
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_of(request.user, pk)
    services.revoke_api_token(actor=request.user, token=token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("core:account")


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationSearchForm(request.GET or None)
    query = kind = ""
    if form.is_valid():
        query, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    page = Paginator(
        selectors.organisations_visible_to(request.user, query=query, kind=kind), 25
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "core/organisation_list.html",
        {"form": form, "page": page, "query": query, "kind": kind},
    )


@require_GET
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_for(request.user, pk)
    return render(
        request,
        "core/organisation_detail.html",
        {
            "organisation": organisation,
            "members": selectors.members_of(request.user, organisation),
            "can_view_members": can(request.user, Action.VIEW_MEMBERS, organisation),
            "can_manage_members": can(request.user, Action.MANAGE_MEMBERS, organisation),
            "can_view_audit": can(request.user, Action.VIEW_AUDIT, organisation),
            "partnerships": selectors.partnerships_visible_to(request.user).filter(
                members=organisation
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_for(request.user, pk)
    require(request.user, Action.MANAGE_MEMBERS, organisation)
    form = AddMemberForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_member(
                actor=request.user,
                organisation=organisation,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # The same answer whether or not the address has an account, and never their name.
            messages.success(request, services.INVITATION_SENT)
            return redirect("core:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "core/member_add.html",
        {"organisation": organisation, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = selectors.organisation_for(request.user, pk)
    require(request.user, Action.MANAGE_MEMBERS, organisation)
    membership = selectors.membership_in(request.user, organisation, membership_pk)
    form = RemoveMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_member(
                actor=request.user, membership=membership, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(person)s no longer has the role %(role)s.")
                % {"person": membership.person, "role": membership.get_role_display()},
            )
            return redirect("core:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "core/member_remove.html",
        {"organisation": organisation, "membership": membership, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def organisation_audit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_for(request.user, pk)
    require(request.user, Action.VIEW_AUDIT, organisation)
    events = audit_selectors.events_visible_to(request.user).filter(organisation=organisation)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request, "core/organisation_audit.html", {"organisation": organisation, "page": page}
    )


@login_required
@require_GET
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.partnership_for(request.user, pk)
    return render(request, "core/partnership_detail.html", {"partnership": partnership})
