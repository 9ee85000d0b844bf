"""``verbind instruments``: list the questionnaires, and show one definition in full.

Everything shown comes from the definition files (``core/definitions/``) through the
loader, so what a coach or researcher reads here is exactly what is scored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from verbind.cli.ui import STYLE_ACCENT, STYLE_QUIET, Lang

if TYPE_CHECKING:
    from rich.console import Console
    from rich.panel import Panel

    from verbind.cli.texts import Texts
    from verbind.core.instrument import Instrument, Scale

# The definitions (and rich's tables) are loaded inside the commands: ``verbind --help``
# imports this module.


LangOption = Annotated[
    Lang, typer.Option("--lang", help="Language of the texts: nl (Dutch) or en (English).")
]


def _measures(t: Texts, measures: str) -> str:
    key = f"cat_measures_{measures}"
    return t(key) if key in t.texts else measures


def _range(inst: Instrument) -> str:
    scale = inst.primary_scale
    return f"{scale.min}-{scale.max}" if scale is not None else "-"


def list_instruments(ctx: typer.Context, lang: LangOption = Lang.nl) -> None:
    """List every questionnaire: id, name, number of items, what it measures, score range."""
    if ctx.invoked_subcommand is not None:
        return
    from rich.table import Table
    from rich.text import Text as RichText

    from verbind.cli.texts import Texts
    from verbind.cli.ui import console
    from verbind.core.instrument import registry

    t = Texts(lang.value)
    table = Table(title=t("cat_title"), title_justify="left")
    table.add_column(t("cat_id"), style="bold", no_wrap=True)
    table.add_column(t("cat_name"))
    table.add_column(t("cat_items"), justify="right")
    table.add_column(t("cat_measures"))
    table.add_column(t("cat_range"), justify="right", no_wrap=True)
    for inst in registry().values():
        table.add_row(
            inst.id,
            RichText(inst.title.get(lang.value)),
            str(len(inst.items)),
            _measures(t, inst.measures),
            _range(inst),
        )
    console.print(table)
    console.print(RichText(t("cat_show_hint"), style=STYLE_QUIET))


def show_instrument(
    instrument_id: Annotated[str, typer.Argument(metavar="ID", help="e.g. djg11, lsns6")],
    lang: LangOption = Lang.nl,
) -> None:
    """Show one questionnaire: stem, items, answer options with file codes, scoring, cut-offs."""
    from rich.text import Text as RichText

    from verbind.cli.texts import Texts
    from verbind.cli.ui import console, err_console
    from verbind.core.instrument import registry

    t = Texts(lang.value)
    insts = registry()
    inst = insts.get(instrument_id.strip().lower())
    if inst is None:
        err_console.print(RichText(t("cat_unknown", id=instrument_id, known=", ".join(insts))))
        raise typer.Exit(2)
    render_instrument(console, t, inst)


def render_instrument(console: Console, t: Texts, inst: Instrument) -> None:
    from rich.console import Group
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text as RichText

    lang = t.lang
    head = Table.grid(padding=(0, 2))
    head.add_row(RichText(t("cat_id"), style=STYLE_QUIET), inst.id)
    head.add_row(RichText(t("cat_measures"), style=STYLE_QUIET), _measures(t, inst.measures))
    head.add_row(RichText(t("cat_version"), style=STYLE_QUIET), inst.version)
    head.add_row(RichText(t("cat_range"), style=STYLE_QUIET), _range(inst))
    if inst.stem is not None:
        head.add_row(RichText(t("cat_stem"), style=STYLE_QUIET), RichText(inst.stem.get(lang)))
    if inst.notes is not None:
        head.add_row(RichText(t("cat_notes"), style=STYLE_QUIET), RichText(inst.notes.get(lang)))
    console.print(
        Panel(
            head,
            title=escape(f"{inst.short_title}: {inst.title.get(lang)}"),
            border_style=STYLE_ACCENT,
        )
    )

    items = Table(title=t("cat_items_title"), title_justify="left", show_lines=False)
    items.add_column(t("cat_item"), no_wrap=True)
    items.add_column("column", no_wrap=True, style=STYLE_QUIET)
    items.add_column(t("cat_wording"))
    items.add_column(t("cat_key"))
    for item in inst.items:
        notes = []
        if item.key is not None:
            points = " ".join(f"{k}={v}" for k, v in item.key.items())
            notes.append(f"{item.key_name}: {points}" if item.key_name else points)
        for flag, keys in item.flags.items():
            notes.append(t("cat_flags", flag=flag, options=", ".join(keys)))
        if item.group:
            notes.append(t("cat_group", group=item.group))
        if len(inst.forms) > 1:
            notes.append("form: " + "/".join(item.forms))
        items.add_row(
            RichText(item.id),
            RichText(inst.column(item.id)),
            RichText(item.text.get(lang)),
            RichText("\n".join(notes)),
        )
    console.print(items)

    for form in inst.forms.values():
        table = Table(
            title=f"{t('cat_forms_title')}: {form.id} ({form.label.get(lang)})",
            title_justify="left",
        )
        table.add_column("code", justify="right")
        table.add_column("key")
        table.add_column("nl")
        table.add_column("en")
        for opt in form.options:
            table.add_row(
                str(opt.code), RichText(opt.key), RichText(opt.label.nl), RichText(opt.label.en)
            )
        if form.declare_file_codes:
            labels = {o.key: o.label.get(lang) for o in form.options}
            codings = "; ".join(
                f"{name} = " + ", ".join(f"{c} {labels[k]}" for c, k in sorted(table_.items()))
                for name, table_ in form.codings.items()
            )
            table.caption = t(
                "cat_declare_codes",
                instrument=inst.id,
                first=next(iter(form.codings)),
                codings=codings,
            )
            table.caption_justify = "left"
        console.print(table)

    if inst.scales:
        console.print(RichText(t("cat_scales_title"), style="italic"))
        for scale in inst.scales.values():
            console.print(_scale_panel(t, scale))
    else:
        console.print(RichText(t("cat_not_scored"), style=STYLE_QUIET))

    foot = Table.grid(padding=(0, 2))
    foot.add_row(RichText(t("cat_citation"), style=STYLE_QUIET), RichText(inst.citation))
    if inst.terms:
        foot.add_row(RichText(t("cat_terms"), style=STYLE_QUIET), RichText(inst.terms))
    if inst.codes:
        codes = ", ".join(f"{k}: {v}" for k, v in inst.codes.items())
        foot.add_row(RichText(t("cat_codes"), style=STYLE_QUIET), RichText(codes))
    console.print(Group(RichText(""), foot))


def _scale_panel(t: Texts, scale: Scale) -> Panel:
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text as RichText

    lang = t.lang
    grid = Table.grid(padding=(0, 2))
    label = RichText  # cells are data: never read as rich markup ("[setting]")

    def row(key: str, value: str) -> None:
        grid.add_row(label(t(key), style=STYLE_QUIET), label(value))

    row("cat_scale_items", ", ".join(scale.items))
    higher = t("cat_worse") if scale.higher_is == "worse" else t("cat_better")
    row("cat_range", f"{scale.min}-{scale.max} ({t('cat_higher_is')} {higher})")
    row("cat_missing", str(scale.max_missing))
    if scale.bands:
        row(
            "cat_bands",
            "\n".join(
                f"{_span(b.min, b.max)}  {b.level} ({b.label.get(lang)})" for b in scale.bands
            ),
        )
    c = scale.cutoff
    if c is not None:
        default = int(c.default) if float(c.default).is_integer() else c.default
        text = f"{c.op} {default}: {c.meaning.get(lang)}  [{c.setting}]"
        if c.level and c.otherwise is not None:
            text += f"\n{c.level} / {c.otherwise_level} ({c.otherwise.get(lang)})"
        row("cat_cutoff", text)
    return Panel(grid, title=label(f"{scale.id}: {scale.label.get(lang)}"), title_align="left")


def _span(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}-{hi}"
