"""The floor under the apps: small, pure helpers any app may use. Imports no app and no
Django models."""
