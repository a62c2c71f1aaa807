"""What core tells the other apps."""

from django.dispatch import Signal

# A sign-up whose address was never confirmed is replaced by a new sign-up with the same address:
# sent with `organisation` just before that organisation and its one account are removed, so an
# app that took the sign-up (the market's waiting provider record) removes what it made of it.
sign_up_withdrawn = Signal()
