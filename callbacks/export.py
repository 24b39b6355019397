"""The export panel: the current view (theme, year, layers, selection, extent, the planner's own
layers) as PNG/PDF/SVG, standalone HTML or data, made in a Dash background callback with
progress and cancel, so the dashboard stays responsive. Jobs run on diskcache by default
(bounded, queued, rate-limited and expiring: ``exports.jobs``), on Celery workers with the same
rules kept in Redis when a broker is set (``exports.celeryjobs``; a worker builds this same app
from the same data file at its start, ``worker.py``).

Exports draw from the very atlas the dashboard loaded at start (the job processes are forks of
the server and inherit it): neither re-reads the data file while serving, so an export always
matches the screen, and a file edited or broken mid-run changes neither until a restart. The
planner's layers come from the app's layer store (``AppData.layers``, inherited by the job
processes too); a stored layer never changes, so neither does its drawing."""

from __future__ import annotations

import logging
import math
import shlex
from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, dcc, no_update

import ids
from core.inputs import as_digits, as_text, is_int
from core.prepared import AppData
from core.text import pick, t
from exports import ExportError, ExportSpec, export_bytes
from exports.spec import MAX_TITLE
from settings import Settings
from uploads.link import MAX_LAYERS, from_entries

log = logging.getLogger(__name__)

STEPS = 3
# the callback's States after Input(EXPORT_RUN): the panel's language is the 6th
_LANG_ARG = 5
_REASONS = {
    "killed": "export.killed", "storage": "export.storage", "rate": "export.rate",
    "unreachable": "export.unreachable",
}  # fmt: skip
# the panel's values after Input(EXPORT_RUN), in the callback's order; the planner's layers
# (USER_LAYERS' entries) last
_FIELDS = (
    "fmt", "paper", "orientation", "dpi", "title", "lang", "theme", "year",
    "layers", "selected", "bbox", "user", "compare",
)  # fmt: skip
USER = "user"
NO_UPDATE = (no_update, no_update, no_update)


def failure(reason: str, lang: str, **values: Any) -> tuple[Any, Any, Any]:
    """The callback's outputs for a job that ended without a file: no download, one sentence,
    no command (so nothing of an earlier export stays on screen). Malformed arguments (which
    the panel never sends) get no update at all."""
    if reason == "invalid":
        return NO_UPDATE
    return no_update, t(_REASONS.get(reason, "export.error"), lang, **values), ""


def _short_text(value: Any, most: int = 64) -> bool:
    return as_text(value, most) is not None


def _number(value: Any) -> bool:
    # an int is always finite (and math.isfinite overflows on one past a float's range)
    return is_int(value) or (isinstance(value, float) and math.isfinite(value))


def _fields(values: Any) -> dict[str, Any] | None:
    """The panel's values by name; a request without the last (the planner's layers, which a
    page served before they existed does not send) has none. None for any other length."""
    values = list(values)
    if len(values) == len(_FIELDS) - 2:  # a page from before the planner's layers
        values.append([])
    if len(values) == len(_FIELDS) - 1:  # a page from before comparisons
        values.append(None)
    if len(values) != len(_FIELDS):
        return None
    return dict(zip(_FIELDS, values, strict=True))


def well_formed(fields: dict[str, Any]) -> bool:
    """Whether the panel's values have the types the panel sends: text choices, dpi as digits,
    a title, a whole year, a list of layer keys, a feature id, four numbers, a list of the
    planner's layer entries. Anything else did not come from the panel and gets no update;
    right types with wrong values are for :class:`ExportSpec` to name."""
    dpi, title, layers, bbox = fields["dpi"], fields["title"], fields["layers"], fields["bbox"]
    user = fields.get(USER, [])
    return (
        all(_short_text(fields[k]) for k in ("fmt", "paper", "orientation", "lang", "theme"))
        and (is_int(dpi) or isinstance(dpi, str))
        and as_digits(str(dpi)) is not None
        and (title is None or _short_text(title, 4 * MAX_TITLE))
        and is_int(fields["year"])
        and (layers is None or (isinstance(layers, list) and len(layers) <= 64))
        and all(_short_text(k) for k in layers or ())
        and (fields["selected"] is None or _short_text(fields["selected"], 256))
        and (bbox is None or (isinstance(bbox, list) and len(bbox) == 4))
        and all(_number(v) for v in bbox or ())
        and isinstance(user, list)
        and len(user) <= MAX_LAYERS
        and all(isinstance(e, dict) for e in user)
        and (fields.get("compare") is None or isinstance(fields["compare"], dict))
    )


def valid_args(args: Any) -> bool:
    """The background callback's arguments (n_clicks, then the panel's values) as the job
    manager gets them, checked before a job is queued."""
    if not isinstance(args, list | tuple) or not args:
        return False
    if args[0] is not None and not is_int(args[0]):
        return False
    fields = _fields(args[1:])
    return fields is not None and well_formed(fields)


def waiting(ahead: int, lang: str) -> tuple[int, int, str, str]:
    """Progress outputs while queued: an empty bar and the queue position."""
    return 0, STEPS, t("export.waiting", lang, n=ahead), ""


def _lang_of(args: Any) -> str:
    return pick(args[1 + _LANG_ARG], "zh", "en")


def background_manager(settings: Settings) -> Any:
    """diskcache (one machine, any number of gunicorn workers) or Celery + Redis (any number of
    app instances and workers sharing one Redis); the same admission rules on either."""
    options = {
        "max_jobs": settings.export_jobs,
        "rate": settings.export_rate,
        "expire": settings.export_expire,
        "failure": failure,
        "waiting": waiting,
        "lang_of": _lang_of,
        "valid": valid_args,
    }
    if settings.celery_broker:
        from exports.celeryjobs import CeleryJobManager  # the optional 'scale' extra

        return CeleryJobManager(settings.celery_broker, hold_path=settings.export_hold, **options)
    from exports.jobs import JobManager
    from exports.store import open_cache

    # SettingsError (one line, exit 2) when the folder is unusable
    return JobManager(open_cache(settings.cache_dir), **options)


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{n / 1024:.0f} KB"


def command_line(spec: ExportSpec) -> str:
    """The ``atlas export`` call that makes the same file."""
    args = [
        "atlas", "export", "--theme", spec.theme, "--year", str(spec.year),
        "--format", spec.fmt, "--lang", spec.lang,
    ]  # fmt: skip
    if spec.fmt in ("png", "pdf", "svg"):
        args += ["--paper", spec.paper, "--orientation", spec.orientation]
    if spec.fmt == "png":
        args += ["--dpi", str(spec.dpi)]
    if spec.title:
        args += ["--title", spec.title]
    if spec.layers is not None:
        args += ["--layers", ",".join(spec.layers)]
    if spec.selected:
        args += ["--select", spec.selected]
    if spec.bbox is not None:
        args += ["--bbox", ",".join(repr(float(v)) for v in spec.bbox)]  # exact: same map
    if spec.user:
        args += ["--user", ",".join(spec.user)]
    if spec.compare:
        i = args.index("--year")
        args[i : i + 2] = ["--compare", f"{spec.compare[0]},{spec.compare[1]}"]
    args += ["--out", spec.filename()]
    return shlex.join(args)


def _compared(state: Any, year: Any) -> tuple[int, int] | None:
    """(A, B) of the page's compare store while comparing (``{"mode", "a", "b"}``), else None:
    B is the timeline's year, and a store without a mode or without a whole year A before it
    (which the page shows as a notice, not as two maps) is no comparison. A year A outside the
    data is for :class:`ExportSpec` to name."""
    if not isinstance(state, dict) or state.get("mode") not in ("swipe", "side"):
        return None
    a = state.get("a")
    if not is_int(a) or not is_int(year) or not a < year:
        return None
    return a, year


def make_spec(values: dict[str, Any]) -> ExportSpec:
    """An ExportSpec from the panel's values (raises ExportError on anything malformed)."""
    bbox = values.get("bbox")
    try:
        return ExportSpec(
            theme=str(values["theme"]),
            year=int(values["year"]),
            lang=str(values["lang"]),
            fmt=str(values["fmt"]),
            paper=str(values["paper"]),
            orientation=str(values["orientation"]),
            dpi=int(values["dpi"]),
            title=(str(values["title"]).strip() or None) if values.get("title") else None,
            bbox=tuple(float(v) for v in bbox)
            if isinstance(bbox, list) and len(bbox) == 4
            else None,
            layers=tuple(values.get("layers") or ()),
            selected=values.get("selected") or None,
            user=from_entries(values.get(USER)),
            compare=_compared(values.get("compare"), values["year"]),
        )
    except ExportError:
        raise
    except (TypeError, ValueError) as exc:
        raise ExportError(str(exc).splitlines()[0]) from None


def register(app: Dash, data: AppData) -> None:
    # The atlas create_app loaded: exports use the dashboard's snapshot, never a later state of
    # the file (even one edited during start-up).
    atlas = data.atlas
    user_layers = data.layers
    manager = getattr(app, "jobs", None)
    if hasattr(manager, "celery"):  # the workers also make `atlas export --queue`'s files
        from exports.celeryjobs import register_file_task, spec_from_dict

        register_file_task(
            manager.celery,
            lambda values: export_bytes(atlas, spec_from_dict(values), user_layers=user_layers),
            hold_path=manager.hold_path,
        )

    app.clientside_callback(
        ClientsideFunction("atlas", "viewBounds"),
        Output(ids.EXPORT_BBOX, "data"),
        Input(ids.EXPORT_OPEN, "n_clicks"),
        State(ids.MAP, "center"),
        State(ids.MAP, "zoom"),
        prevent_initial_call=True,  # the extent is taken when the panel opens
    )
    app.clientside_callback(
        ClientsideFunction("atlas", "toggleExport"),
        Output(ids.EXPORT_DIALOG, "hidden"),
        Input(ids.EXPORT_OPEN, "n_clicks"),
        Input(ids.EXPORT_CLOSE, "n_clicks"),
        State(ids.EXPORT_DIALOG, "hidden"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.EXPORT_DOWNLOAD, "data"),
        Output(ids.EXPORT_STATUS, "children"),
        Output(ids.EXPORT_COMMAND, "children"),
        Input(ids.EXPORT_RUN, "n_clicks"),
        State(ids.EXPORT_FORMAT, "value"),
        State(ids.EXPORT_PAPER, "value"),
        State(ids.EXPORT_ORIENTATION, "value"),
        State(ids.EXPORT_DPI, "value"),
        State(ids.EXPORT_TITLE, "value"),
        State(ids.EXPORT_LANG, "value"),
        State(ids.THEME, "value"),
        State(ids.YEAR, "value"),
        State(ids.LAYERS, "value"),
        State(ids.SELECTED, "data"),
        State(ids.EXPORT_BBOX, "data"),
        State(ids.USER_LAYERS, "data"),
        State(ids.COMPARE, "data"),
        background=True,
        running=[
            (Output(ids.EXPORT_RUN, "disabled"), True, False),
            (Output(ids.EXPORT_CANCEL, "disabled"), False, True),
            (Output(ids.EXPORT_PROGRESS, "hidden"), False, True),
        ],
        # status and command are progress outputs too: a job's first step clears the previous
        # result, and a queued job shows its place in the queue there
        progress=[
            Output(ids.EXPORT_PROGRESS, "value"),
            Output(ids.EXPORT_PROGRESS, "max"),
            Output(ids.EXPORT_STATUS, "children", allow_duplicate=True),
            Output(ids.EXPORT_COMMAND, "children", allow_duplicate=True),
        ],
        progress_default=[0, STEPS, "", ""],
        cancel=[Input(ids.EXPORT_CANCEL, "n_clicks")],
        prevent_initial_call=True,
    )
    def run_export(set_progress, _: int, *values: Any) -> tuple[Any, Any, Any]:
        fields = _fields(values)
        # checked before queueing too; Celery has no such check
        if fields is None or not well_formed(fields):
            return NO_UPDATE
        lang = pick(fields.get("lang"), "zh", "en")
        set_progress((0, STEPS, "", ""))
        try:
            spec = make_spec(fields)
            set_progress((1, STEPS, "", ""))
            content = export_bytes(atlas, spec, user_layers=user_layers)
        except ExportError as exc:
            said = t(exc.key, lang) if exc.key else t("export.failed", lang, error=exc)
            return no_update, said, ""
        except Exception:  # any other failure still reaches the panel as one sentence
            log.exception("export failed")
            return failure("error", lang)
        set_progress((STEPS, STEPS, "", ""))
        done = t("export.done", lang, name=spec.filename(), size=_size(len(content)))
        return dcc.send_bytes(content, spec.filename()), done, command_line(spec)
