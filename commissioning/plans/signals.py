"""What the plans app tells the rest of the platform, without knowing who listens."""

from django.dispatch import Signal

# Sent inside the publishing transaction with `plan`: listeners act after it commits.
plan_published = Signal()
