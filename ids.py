"""Component IDs, defined once; IDs derived from another ID are built here by functions, and
``assets/*.js`` may only name IDs defined here (checked by tests/unit/test_wiring.py)."""


def derived(base: str, part: str) -> str:
    """The ID of a part of component ``base`` (a dialog's heading, a figure's caption)."""
    return f"{base}-{part}"


def heading(dialog: str) -> str:
    """The ID of a dialog's heading, which names the dialog (``aria-labelledby``)."""
    return derived(dialog, "title")


MAP = "atlas-map"
BOUNDARIES = "atlas-boundaries"
PLACES = "atlas-places"
DETAILS = "atlas-details"
TITLE = "atlas-title"
URL = "atlas-url"
URL_SINK = "atlas-url-sink"
NOTICE = "atlas-notice"
NOTICE_TEXT = "atlas-notice-text"
NOTICE_CLOSE = "atlas-notice-close"
THEME = "atlas-theme"
THEME_LABEL = "atlas-theme-label"  # hidden name of the theme picker
LAYERS = "atlas-layers"
LAYERS_LABEL = "atlas-layers-label"
YEAR = "atlas-year"
YEAR_LABEL = "atlas-year-label"
YEAR_NAME = "atlas-year-name"  # hidden name of the year slider
A11Y = "atlas-a11y"  # which heading names which option list (assets/a11y.js)
A11Y_SINK = "atlas-a11y-sink"
PLAY = "atlas-play"
STEP_BACK = "atlas-step-back"
STEP_FORWARD = "atlas-step-forward"
SPEED = "atlas-speed"
SPEED_LABEL = "atlas-speed-label"
LOOP = "atlas-loop"
TICKER = "atlas-ticker"
PLAYING = "atlas-playing"
LANG = "atlas-lang"
LANG_BUTTON = "atlas-lang-button"
SUBTITLE = "atlas-subtitle"
SELECTED = "atlas-selected"
CLEAR = "atlas-clear"
LINES = "atlas-lines"
FLOWS = "atlas-flows"
KPIS = "atlas-kpis"
KPIS_TITLE = "atlas-kpis-title"
EVENTS = "atlas-events"
EVENTS_TITLE = "atlas-events-title"
STORY_YEARS = "atlas-story-years"
LEGEND = "atlas-legend"
SOURCE_DIALOG = "atlas-source-dialog"
SOURCE_BODY = "atlas-source-body"
SOURCE_CLOSE = "atlas-source-close"
BOUNDARY_NOTICE = "atlas-boundary-notice"
MAP_STATUS = "atlas-map-status"  # live region: one sentence on what the map now shows
SOURCE_BUTTON_TYPE = "atlas-source-button"
SOURCE_HEADING = heading(SOURCE_DIALOG)
SOURCE_REQUEST = "atlas-source-request"  # {key, n}: which source a real click asked for


def source_button(layer: str, row_id: str, where: str = "") -> dict[str, str]:
    """Pattern-matching ID of a button that opens the source details of one row; ``where``
    tells apart two buttons for the same row on one page (a card and the year's list)."""
    return {"type": SOURCE_BUTTON_TYPE, "key": f"{layer}:{row_id}" + (f"@{where}" if where else "")}


def source_row(key: str) -> tuple[str, str]:
    """The (layer, row) a source button's key names."""
    layer, _, row = key.partition("@")[0].partition(":")
    return layer, row


OVERVIEW = "atlas-overview"
SPEEDS = "atlas-speeds"
PAGE = "atlas-page"
KIOSK_CONFIG = "atlas-kiosk-config"
KIOSK_SCENE = "atlas-kiosk-scene"
KIOSK_SINK = "atlas-kiosk-sink"
KIOSK_PANEL = "atlas-kiosk-panel"
KIOSK_TITLE = "atlas-kiosk-title"
KIOSK_CAPTION = "atlas-kiosk-caption"
KIOSK_CARDS = "atlas-kiosk-cards"
KIOSK_DOTS = "atlas-kiosk-dots"
KIOSK_BAR = "atlas-kiosk-bar"
KIOSK_QR = "atlas-kiosk-qr"
KIOSK_EXPLORE = "atlas-kiosk-explore"
KIOSK_EXPLORE_TEXT = "atlas-kiosk-explore-text"
KIOSK_RESUME = "atlas-kiosk-resume"
RECONNECT = "atlas-reconnect"
RECONNECT_TEXT = "atlas-reconnect-text"
EXPORT_OPEN = "atlas-export-open"
EXPORT_DIALOG = "atlas-export-dialog"
EXPORT_FORMAT = "atlas-export-format"
EXPORT_PAPER = "atlas-export-paper"
EXPORT_ORIENTATION = "atlas-export-orientation"
EXPORT_DPI = "atlas-export-dpi"
EXPORT_TITLE = "atlas-export-title"
EXPORT_LANG = "atlas-export-lang"
EXPORT_RUN = "atlas-export-run"
EXPORT_CANCEL = "atlas-export-cancel"
EXPORT_CLOSE = "atlas-export-close"
EXPORT_PROGRESS = "atlas-export-progress"
EXPORT_STATUS = "atlas-export-status"
EXPORT_COMMAND = "atlas-export-command"
EXPORT_DOWNLOAD = "atlas-export-download"
EXPORT_BBOX = "atlas-export-bbox"
EXPORT_HEADING = heading(EXPORT_DIALOG)
EXPORT_H_FORMAT = derived(EXPORT_DIALOG, "h-format")
EXPORT_H_PAPER = derived(EXPORT_DIALOG, "h-paper")
EXPORT_H_DPI = derived(EXPORT_DIALOG, "h-dpi")
EXPORT_H_LANG = derived(EXPORT_DIALOG, "h-lang")
EXPORT_L_TITLE = derived(EXPORT_DIALOG, "l-title")
KIOSK_QR_CAPTION = derived(KIOSK_QR, "caption")
CLIENT_TEXT = "atlas-client-text"  # the few strings browser code writes itself (play/pause)
MAP_KEYS = "atlas-map-keys"  # the map keyboard's words, layer order and theme views (mapnav.js)
MAP_HINT = "atlas-map-hint"  # hidden: which keys the map takes (the map's aria-describedby)
MAP_FOCUS = "atlas-map-focus"  # live region: the feature the map's keyboard is on
# Planners' own layers (assets/userlayers.js, callbacks/userlayers.py)
USER_TITLE = "atlas-user-title"
USER_FILE = "atlas-user-file"  # "Add a layer": assets/userlayers.js opens a file picker
USER_EVENT = "atlas-user-event"  # what an upload came to (set by assets/userlayers.js)
USER_PICK = "atlas-user-pick"  # {id, i, n}: the feature a click picked
USER_LAYERS = "atlas-user-layers"  # the layers shown, with their styles
USER_SINK = "atlas-user-sink"
USER_HINT = "atlas-user-hint"
USER_MESSAGE = "atlas-user-message"
USER_LIST = "atlas-user-list"
USER_DETAILS = "atlas-user-details"
USER_DETAILS_CLOSE = "atlas-user-details-close"
USER_DETAILS_BODY = "atlas-user-details-body"
USER_REMOVE_TYPE = "atlas-user-remove"
USER_STYLE_TYPE = "atlas-user-style"
USER_LEGEND_TYPE = "atlas-user-legend"
USER_ACTION_TYPE = "atlas-user-action"
USER_FEATURE_TYPE = "atlas-user-feature"  # a feature's button in a layer's list


def user_remove(layer: str) -> dict[str, str]:
    return {"type": USER_REMOVE_TYPE, "id": layer}


def user_style(layer: str, field: str) -> dict[str, str]:
    return {"type": USER_STYLE_TYPE, "id": layer, "field": field}


def user_legend(layer: str) -> dict[str, str]:
    return {"type": USER_LEGEND_TYPE, "id": layer}


def user_action(action: str, layer: str = "", datum: str = "") -> dict[str, str]:
    """A button of an upload's message: ``layer`` (a GeoPackage's layer to read), ``convert``
    (a layer's datum) or ``keep`` (assets/userlayers.js acts on it). Every such id has the
    same keys, so one wildcard matches them all."""
    return {"type": USER_ACTION_TYPE, "action": action, "layer": layer, "datum": datum}


def user_feature(layer: str, index: int) -> dict[str, str | int]:
    return {"type": USER_FEATURE_TYPE, "id": layer, "i": index}


# Compare two years (issue 14): the compare store holds {"mode": "swipe" | "side", "a": year A,
# "b": year B} (B is the timeline's year) or None when one year is shown.
COMPARE = "atlas-compare"
COMPARE_ON = "atlas-compare-on"  # the timeline's switch: compare two years
COMPARE_MODE = "atlas-compare-mode"  # swipe / side by side
COMPARE_LABEL = "atlas-compare-label"
COMPARE_NOTE = "atlas-compare-note"  # why the change list is empty or what A and B are
COMPARE_BAR = "atlas-compare-bar"
YEAR_A = "atlas-year-a"  # the slider of year A
YEAR_A_NAME = "atlas-year-a-name"
YEAR_A_LABEL = "atlas-year-a-label"  # year A, shown beside its slider
MAP_A = "atlas-map-a"  # the map of year A (assets/compare.js), left of B or under the swipe
SWIPE = "atlas-swipe"  # the swipe's divider
INSET = "atlas-inset"  # the close-up of Fengtai over a regional view (assets/inset.js), a button
INSET_MAP = "atlas-inset-map"  # its map
INSET_CAPTION = "atlas-inset-caption"  # its visible words
CHANGES = "atlas-changes"  # the change list between A and B
CHANGES_TITLE = "atlas-changes-title"
# The flow table (panels/flows.py): the visible flows with their counts, beside the map.
FLOW_TABLE = "atlas-flow-table"
FLOW_TABLE_TITLE = "atlas-flow-table-title"
CHANGES_LIST = "atlas-changes-list"
