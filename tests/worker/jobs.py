"""Tasks the worker tests enqueue."""

from django_tasks import task

RAN: list[str] = []


@task()
def note(text: str) -> None:
    RAN.append(text)
