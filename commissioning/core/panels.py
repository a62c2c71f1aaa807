"""Panels: what an app built on another adds to that app's pages and documents.

A lower app never imports the apps built on it, yet its pages show their work (the plan page
shows the plan's engagement record and open consultations). The lower app declares a page and
its slots, the places where others may add a panel; a higher app registers its panels from its
`AppConfig.ready`:

    register_panel(Panel(page="plan", slot="banners", key="engagement.consultations",
                         template="engagement/panels/open_consultations.html",
                         context=lambda plan, person: {...}, order=10, in_print=False))

The page's view asks `panels_for(page, obj, person)` and passes the result to its template as
`panels`; the template renders a slot with a tag that calls `render_slot`. A panel's template
sees the page's context plus its own. The same panels feed the page's documents: the PDF is the
printed page (panels with `in_print=False` are left out of it), and the Word document calls
each panel's `word(document, context)` at its slot.

Lives in core because every app may both offer pages and add to others'; it knows no app.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.template import Context

ContextFunction = Callable[[Any, Any], Mapping[str, Any]]
ShownFunction = Callable[[Any, Any], bool]
WordFunction = Callable[[Any, Mapping[str, Any]], None]


@dataclass(frozen=True)
class Panel:
    """One app's part of another app's page.

    `page` and `slot`: where it goes (as the page declared them); `key`: unique on the page,
    by convention "<app>.<what>"; `template`: rendered with the page's context and the panel's;
    `order`: lower first within the slot; `context(obj, person)`: the panel's own context;
    `shown(obj, person)`: whether this person sees it at all (default: everyone who sees the
    page); `word(document, context)`: adds the panel's part to the page's Word document (a
    python-docx document), if it has one; `in_print`: whether it is in the printed page (PDF)."""

    page: str
    slot: str
    key: str
    template: str
    order: int = 100
    context: ContextFunction | None = None
    shown: ShownFunction | None = None
    word: WordFunction | None = None
    in_print: bool = True


@dataclass(frozen=True)
class ShownPanel:
    """A panel as one person sees it, with its context worked out once."""

    panel: Panel
    context: dict[str, Any] = field(default_factory=dict)

    @property
    def template(self) -> str:
        return self.panel.template

    def add_to_word(self, document: Any) -> None:
        if self.panel.word is not None:
            self.panel.word(document, self.context)


_PAGES: dict[str, tuple[str, ...]] = {}
_PANELS: dict[str, dict[str, Panel]] = {}


def declare_page(page: str, slots: tuple[str, ...]) -> None:
    """A lower app names a page of its own and the slots others may fill."""
    _PAGES[page] = tuple(slots)


def register_panel(panel: Panel) -> Panel:
    on_page = _PANELS.setdefault(panel.page, {})
    if panel.key in on_page:
        raise RuntimeError(f"The {panel.page} page already has a panel {panel.key}.")
    on_page[panel.key] = panel
    return panel


def registered_panels(page: str) -> list[Panel]:
    """Every panel registered on a page, in slot and order (for documentation and tests)."""
    return sorted(_PANELS.get(page, {}).values(), key=lambda p: (p.slot, p.order, p.key))


def panels_for(
    page: str, obj: Any, person: Any, *, printing: bool = False
) -> dict[str, list[ShownPanel]]:
    """The panels this person sees on `obj`'s page, by slot, each slot in order."""
    slots = _PAGES.get(page)
    if slots is None:
        raise ImproperlyConfigured(f"No app declared a page called {page}.")
    shown: dict[str, list[ShownPanel]] = {slot: [] for slot in slots}
    for panel in sorted(_PANELS.get(page, {}).values(), key=lambda p: (p.order, p.key)):
        if panel.slot not in shown:
            raise ImproperlyConfigured(
                f"The panel {panel.key} names a slot {panel.slot} that the {page} page lacks."
            )
        if printing and not panel.in_print:
            continue
        if panel.shown is not None and not panel.shown(obj, person):
            continue
        context = dict(panel.context(obj, person)) if panel.context is not None else {}
        shown[panel.slot].append(ShownPanel(panel=panel, context=context))
    return shown


def render_slot(context: Context, slot: str) -> str:
    """The panels of one slot as HTML, each rendered like `{% include %}` with its own context
    pushed over the page's. For a template tag of the page's app to call."""
    parts = []
    for shown in (context.get("panels") or {}).get(slot, ()):
        template = context.template.engine.get_template(shown.template)  # type: ignore[union-attr]
        with context.push(**shown.context):
            parts.append(template.render(context))
    return "".join(parts)


__all__ = [
    "Panel",
    "ShownPanel",
    "declare_page",
    "panels_for",
    "register_panel",
    "registered_panels",
    "render_slot",
]
