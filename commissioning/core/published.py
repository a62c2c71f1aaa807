"""Published records (`core.models.PublishedRecord`): what a person may see of them, and their
next version. Needs assessments, market analyses and plans are scoped and refreshed here, and so
will be whatever is published after them."""

from typing import Any, TypeVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from commissioning.core.access import is_platform_admin, roles_by_organisation
from commissioning.core.models import PublishedRecord

R = TypeVar("R", bound=PublishedRecord)


def visible_to(person: Any, model: type[PublishedRecord]) -> Q:
    """What `person` may see of `model`: everyone sees it once public (`model.PUBLIC`); until
    then the people of the body that owns it and of the partnership's member bodies do, and
    platform administrators see everything."""
    if is_platform_admin(person):
        return Q()
    public = Q(status__in=list(model.PUBLIC))
    mine = list(roles_by_organisation(person))
    if not mine:
        return public
    return public | Q(organisation__in=mine) | Q(partnership__members__in=mine)


def next_version(record: R, *, created_by: Any, **changes: Any) -> R:
    """An unsaved copy of `record` as its next version: one version on, pointing back at it,
    unpublished, created now by `created_by`, in the status its kind starts in (or the one
    given in `changes`), with the fields its kind starts afresh back at their default. Save it,
    then `copy_contents`; or let `save_next_version` do both."""
    model = type(record)
    following = model._default_manager.get(pk=record.pk)
    following.pk = None
    following._state.adding = True
    following.version = record.version + 1
    following.previous_version = record
    following.published_at = None
    following.created_by = created_by
    following.created_at = timezone.now()
    for name in ("status", *model.RESET_IN_NEXT_VERSION):
        setattr(following, name, _field(model, name).get_default())
    for name, value in changes.items():
        setattr(following, name, value)
    return following


def save_next_version(record: R, *, created_by: Any, **changes: Any) -> R:
    """`record`'s next version, saved, with everything its kind copies into it."""
    following = next_version(record, created_by=created_by, **changes)
    following.save()
    copy_contents(record, following)
    return following


def copy_contents(record: PublishedRecord, following: PublishedRecord) -> None:
    """Copy into the saved `following` version the many-to-many links of `record` and the
    children its kind lists in `COPIED_TO_NEXT_VERSION`, in that order. A copied child's links
    to anything else copied point at the copy; a link into something of a copied kind that is
    not part of this record is not carried over."""
    model = type(record)
    copies: dict[tuple[type[models.Model], Any], models.Model] = {(model, record.pk): following}
    copied_kinds = {model} | {
        _relation(model, path).related_model for path in model.COPIED_TO_NEXT_VERSION
    }
    _copy_links(record, following, copies, copied_kinds)
    copied_by_path: dict[str, list[tuple[Any, models.Model]]] = {"": [(record.pk, following)]}
    for path in model.COPIED_TO_NEXT_VERSION:
        parent_path, _, _accessor = path.rpartition("__")
        relation = _relation(model, path)
        child_model = relation.related_model
        parent_field = relation.field.name
        copied_by_path[path] = []
        for old_parent_pk, new_parent in copied_by_path[parent_path]:
            for child in child_model._default_manager.filter(**{parent_field: old_parent_pk}):
                old_pk = child.pk
                links = {
                    field.name: list(getattr(child, field.name).all())
                    for field in child_model._meta.many_to_many
                }
                child.pk = None
                child._state.adding = True
                setattr(child, parent_field, new_parent)
                _repoint(child, copies, copied_kinds, skip=parent_field)
                child.save()
                for name, targets in links.items():
                    getattr(child, name).set(_carried(targets, copies, copied_kinds))
                copies[(child_model, old_pk)] = child
                copied_by_path[path].append((old_pk, child))


def _field(model: type[models.Model], name: str) -> models.Field:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _copy_links(
    record: models.Model,
    following: models.Model,
    copies: dict[tuple[type[models.Model], Any], models.Model],
    copied_kinds: set[Any],
) -> None:
    for field in type(record)._meta.many_to_many:
        targets = list(getattr(record, field.name).all())
        getattr(following, field.name).set(_carried(targets, copies, copied_kinds))


def _carried(
    targets: list[models.Model],
    copies: dict[tuple[type[models.Model], Any], models.Model],
    copied_kinds: set[Any],
) -> list[models.Model]:
    carried = []
    for target in targets:
        key = (type(target), target.pk)
        if key in copies:
            carried.append(copies[key])
        elif type(target) not in copied_kinds:
            carried.append(target)
    return carried


def _repoint(
    child: models.Model,
    copies: dict[tuple[type[models.Model], Any], models.Model],
    copied_kinds: set[Any],
    *,
    skip: str,
) -> None:
    for field in type(child)._meta.concrete_fields:
        if field.name == skip or not (field.many_to_one or field.one_to_one):
            continue
        target_model = field.related_model
        if target_model not in copied_kinds:
            continue
        target_pk = getattr(child, field.attname)
        if target_pk is None:
            continue
        key = (target_model, target_pk)
        if key in copies:
            setattr(child, field.name, copies[key])
        elif field.null:
            setattr(child, field.name, None)


def _relation(model: type[models.Model], path: str) -> Any:
    """The reverse relation a path of accessor names (`outcomes__indicators`) ends with."""
    current: Any = model
    relation = None
    for accessor in path.split("__"):
        relation = next(
            (
                rel
                for rel in current._meta.related_objects
                if rel.get_accessor_name() == accessor and not rel.many_to_many
            ),
            None,
        )
        if relation is None:
            raise LookupError(f"{current.__name__} has no children called {accessor!r}.")
        current = relation.related_model
    return relation


def undecided_relations(model: type[PublishedRecord]) -> list[str]:
    """The relations into `model`, and into the children it copies, that nobody has decided
    about: neither copied into the next version, nor kept with this one (with a reason) by the
    record or by the model that points at it. A child added later shows up here until someone
    decides."""
    copied = set(model.COPIED_TO_NEXT_VERSION)
    copied_kinds = {model} | {_relation(model, path).related_model for path in copied}
    undecided: list[str] = []

    def walk(current: Any, prefix: str) -> None:
        for rel in current._meta.get_fields(include_hidden=True):
            if not rel.auto_created or rel.concrete:
                continue  # not a relation pointing in
            pointing = rel.related_model
            if pointing._meta.auto_created:
                continue  # a many-to-many table: the field on its model decides
            if current is model and pointing is model and rel.field.name == "previous_version":
                continue
            name = f"{prefix}{rel.get_accessor_name()}" if not rel.hidden else None
            if name in copied:
                walk(pointing, f"{name}__")
                continue
            decided = (
                name in model.KEPT_WITH_THIS_VERSION
                or rel.field.name in getattr(pointing, "KEPT_WITH_ITS_VERSION", {})
                # Copied along another path: its link points at the copy.
                or pointing in copied_kinds
            )
            if not decided:
                undecided.append(f"{pointing._meta.label}.{rel.field.name}")

    walk(model, "")
    return undecided
