"""One-time links sent by email."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class SignUpTokenGenerator(PasswordResetTokenGenerator):
    """The link that confirms a new account's email address. It depends on the stored password,
    which confirming makes usable, so it works once; and, unlike a password reset link, it is
    of no use for anything else."""

    key_salt = "commissioning.core.tokens.SignUpTokenGenerator"


sign_up_tokens = SignUpTokenGenerator()
