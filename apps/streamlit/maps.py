"""Maps that work without a CDN: Leaflet served by the app itself, and the network map of the supervision screen.

folium loads Leaflet, jQuery, Bootstrap and Font Awesome from CDNs, which our users' networks (and our test
machines) often cannot reach. :class:`OfflineMap` points folium at the copy of Leaflet under
``static/vendor/`` (served by Streamlit's static file serving at ``/app/static/``) and drops every other
asset. Only elements that need nothing but Leaflet are used: circle markers, polylines, and the popup,
tooltip and legend below (folium's own ``Popup`` calls jQuery).

Maps are shown with ``st.iframe``: the map's HTML goes into an ``srcdoc`` iframe, whose relative addresses
resolve against the app, so the vendored files load from the same server. (streamlit-folium's component also
loads them, through the ``default_js`` links; it is not needed while the maps send nothing back to Python.)
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from folium.plugins import MarkerCluster
from folium.template import Template
from i18n import current_language, format_number, format_percent, t

APP_STATIC = Path(__file__).resolve().parent / "static"
LEAFLET_VERSION = "1.9.4"
MARKERCLUSTER_VERSION = "1.5.3"
LEAFLET_DIR = f"vendor/leaflet-{LEAFLET_VERSION}"
MARKERCLUSTER_DIR = f"vendor/leaflet.markercluster-{MARKERCLUSTER_VERSION}"

# Categorical colours readable on a blank or light background (Tableau 10, then darker variants).
FEEDER_COLOURS: tuple[str, ...] = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#1f4e79",
    "#a0522d",
)
SUBSTATION_COLOUR = "#1f2937"
MAP_HEIGHT = 520

# CSS classes on the drawn shapes: they let the browser check count what was drawn.
TRANSFORMER_CLASS = "yeelen-transformer"
SUBSTATION_CLASS = "yeelen-substation"
FEEDER_LINE_CLASS = "yeelen-feeder-line"


def static_url(relative: str) -> str:
    """Address of a file under ``apps/streamlit/static/``, honouring ``server.baseUrlPath``."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    prefix = f"/{base}" if base else ""
    return f"{prefix}/app/static/{relative.lstrip('/')}"


class OfflineMap(folium.Map):
    """A folium map whose Leaflet comes from the app's static files, with no other external asset."""

    def __init__(self, *args: object, tiles_url: str | None = None, tiles_attribution: str = "", **kwargs: object):
        kwargs.setdefault("tiles", None)
        kwargs.setdefault("control_scale", True)
        super().__init__(*args, **kwargs)
        # Without a tile layer Leaflet knows no maximum zoom, and marker clustering refuses to start.
        self.options.setdefault("maxZoom", 19)
        # Instance attributes, so that folium.Map's class-level CDN lists stay untouched.
        self.default_js = [("leaflet", static_url(f"{LEAFLET_DIR}/leaflet.js"))]
        self.default_css = [("leaflet_css", static_url(f"{LEAFLET_DIR}/leaflet.css"))]
        if tiles_url:
            folium.TileLayer(tiles=tiles_url, attr=tiles_attribution or " ", name="tiles").add_to(self)
        else:
            # No tile server configured: a plain light background instead of Leaflet's grey.
            self.get_root().header.add_child(
                folium.Element("<style>.leaflet-container { background: #f5f6f4 !important; }</style>"),
                name="blank_map",
            )


class OfflineMarkerCluster(MarkerCluster):
    """folium's marker clustering with leaflet.markercluster served by the app (use CircleMarkers inside)."""

    def __init__(self, *args: object, **kwargs: object):
        super().__init__(*args, **kwargs)
        self.default_js = [("markerclusterjs", static_url(f"{MARKERCLUSTER_DIR}/leaflet.markercluster.js"))]
        self.default_css = [
            ("markerclustercss", static_url(f"{MARKERCLUSTER_DIR}/MarkerCluster.css")),
            ("markerclusterdefaultcss", static_url(f"{MARKERCLUSTER_DIR}/MarkerCluster.Default.css")),
        ]


class TextPopup(folium.MacroElement):
    """A popup with HTML content handed to Leaflet as a string (folium's Popup needs jQuery)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindPopup({{ this.content|tojavascript }}, {{ this.options|tojavascript }});
        {% endmacro %}
        """
    )

    def __init__(self, content: str, max_width: int = 320):
        super().__init__()
        self._name = "TextPopup"
        self.content = content
        self.options = {"maxWidth": max_width}


class TextTooltip(folium.MacroElement):
    """A tooltip with plain text, escaped (folium's Tooltip pastes its text into a JavaScript template literal)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindTooltip({{ this.content|tojavascript }}, {"sticky": true});
        {% endmacro %}
        """
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "TextTooltip"
        self.content = html.escape(text)


class Legend(folium.MacroElement):
    """A Leaflet control in a corner of the map listing symbols and colours."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function () {
                var legend = L.control({position: {{ this.position|tojavascript }}});
                legend.onAdd = function () {
                    var box = L.DomUtil.create("div", "yeelen-legend");
                    box.style.cssText = "background: rgba(255,255,255,0.92); padding: 6px 9px; "
                        + "font: 12px/1.45 sans-serif; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3); "
                        + "max-height: 240px; overflow-y: auto;";
                    box.innerHTML = {{ this.content|tojavascript }};
                    L.DomEvent.disableScrollPropagation(box);
                    return box;
                };
                legend.addTo({{ this._parent.get_name() }});
            })();
        {% endmacro %}
        """
    )

    def __init__(self, content: str, position: str = "bottomright"):
        super().__init__()
        self._name = "Legend"
        self.content = content
        self.position = position


class FitToBounds(folium.MacroElement):
    """Fit the view to the drawn network, again whenever the map's frame is resized, until the user moves it.

    A map laid out while its iframe is still being sized (first render, window resize, a tab shown later)
    would otherwise keep a view computed for the wrong size and show none of its markers.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (map) {
                var bounds = L.latLngBounds({{ this.bounds|tojavascript }});
                var options = {padding: [24, 24], maxZoom: 15, animate: false};
                var touched = false;
                function fit() {
                    var size = map.getSize();
                    if (touched || size.x === 0 || size.y === 0) { return; }
                    map.fitBounds(bounds, options);
                }
                // Resizing pans the map itself, so only the user's own gestures stop the refitting.
                ["mousedown", "wheel", "touchstart", "keydown"].forEach(function (name) {
                    map.getContainer().addEventListener(name, function () { touched = true; }, {passive: true});
                });
                map.on("resize", fit);
                map.whenReady(fit);
            })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]]):
        super().__init__()
        self._name = "FitToBounds"
        self.bounds = bounds


def render(folium_map: folium.Map | str, height: int = MAP_HEIGHT) -> None:
    """Show a map, or the HTML of one, in the page."""
    page = folium_map if isinstance(folium_map, str) else folium_map.get_root().render()
    st.iframe(page, height=height)


@st.cache_data(max_entries=32, show_spinner=False)
def network_map_html(
    transformers: pd.DataFrame,
    feeders: pd.DataFrame,
    language: str,
    tiles_url: str | None = None,
    tiles_attribution: str = "",
) -> str:
    """The network map as an HTML page, cached: an unchanged network gives the browser the same page again."""
    # Same page, same iframe: choosing another month does not reload the map, which keeps the user's zoom.
    folium_map = network_map(
        transformers, feeders, language=language, tiles_url=tiles_url, tiles_attribution=tiles_attribution
    )
    return folium_map.get_root().render()


def feeder_colours(feeder_codes: Iterable[str]) -> dict[str, str]:
    """A stable colour per feeder, in the order of their codes."""
    return {code: FEEDER_COLOURS[index % len(FEEDER_COLOURS)] for index, code in enumerate(sorted(set(feeder_codes)))}


def network_map(
    transformers: pd.DataFrame,
    feeders: pd.DataFrame,
    *,
    language: str | None = None,
    tiles_url: str | None = None,
    tiles_attribution: str = "",
) -> folium.Map:
    """Source substations, transformers coloured by feeder and joined to their substation, and a legend.

    ``transformers`` has the columns of ``marts.dim_transformers``, ``feeders`` those of ``marts.dim_feeders``;
    rows without coordinates are left out (the caller says how many).
    """
    language = language or current_language()
    placed = transformers.dropna(subset=["latitude", "longitude"])
    colours = feeder_colours(placed["feeder_code"].astype(str))
    folium_map = OfflineMap(
        location=_centre(placed),
        zoom_start=12,
        tiles_url=tiles_url,
        tiles_attribution=tiles_attribution,
    )

    lines = folium.FeatureGroup(name=t("map.legend.feeders", language)).add_to(folium_map)
    for row in placed.itertuples(index=False):
        if _has_position(row.substation_latitude, row.substation_longitude):
            folium.PolyLine(
                [(row.substation_latitude, row.substation_longitude), (row.latitude, row.longitude)],
                color=colours[str(row.feeder_code)],
                weight=2,
                opacity=0.55,
                dash_array="4 4",
                class_name=FEEDER_LINE_CLASS,
            ).add_to(lines)

    substations = placed.drop_duplicates("substation_id")
    for row in substations.itertuples(index=False):
        if not _has_position(row.substation_latitude, row.substation_longitude):
            continue
        marker = folium.CircleMarker(
            (row.substation_latitude, row.substation_longitude),
            radius=10,
            color="#ffffff",
            weight=2,
            fill=True,
            fill_color=SUBSTATION_COLOUR,
            fill_opacity=1.0,
            class_name=SUBSTATION_CLASS,
        )
        TextPopup(_substation_popup(row, placed, language)).add_to(marker)
        TextTooltip(f"{row.substation_code} — {row.substation_name}").add_to(marker)
        marker.add_to(folium_map)

    for row in placed.itertuples(index=False):
        marker = folium.CircleMarker(
            (row.latitude, row.longitude),
            radius=_radius(row.rating_kva),
            color="#ffffff",
            weight=1,
            fill=True,
            fill_color=colours[str(row.feeder_code)],
            fill_opacity=0.95,
            class_name=TRANSFORMER_CLASS,
        )
        TextPopup(_transformer_popup(row, language)).add_to(marker)
        TextTooltip(str(row.transformer_code)).add_to(marker)
        marker.add_to(folium_map)

    Legend(_legend(feeders, colours, language)).add_to(folium_map)
    bounds = _bounds(placed)
    if bounds:
        FitToBounds(bounds).add_to(folium_map)
    return folium_map


def _transformer_popup(row: object, language: str) -> str:
    return _table(
        f"{row.transformer_code}",
        [
            (t("popup.name", language), row.transformer_name),
            (t("popup.rating", language), f"{format_number(row.rating_kva, language=language)} kVA"),
            (t("popup.feeder", language), f"{row.feeder_code} — {row.feeder_name}"),
            (t("popup.substation", language), f"{row.substation_code} — {row.substation_name}"),
            (t("popup.agency", language), row.agency_name),
            (t("popup.active_contracts", language), format_number(row.active_contracts, language=language)),
        ],
    )


def _substation_popup(row: object, placed: pd.DataFrame, language: str) -> str:
    mine = placed[placed["substation_id"] == row.substation_id]
    return _table(
        f"{row.substation_code}",
        [
            (t("popup.name", language), row.substation_name),
            (t("map.legend.feeders", language), ", ".join(sorted(mine["feeder_code"].astype(str).unique()))),
            (t("popup.transformers", language), format_number(len(mine), language=language)),
        ],
    )


def _table(title: str, rows: Sequence[tuple[str, object]]) -> str:
    cells = "".join(
        f"<tr><th style='text-align:left;padding-right:8px;font-weight:600'>{html.escape(str(label))}</th>"
        f"<td>{html.escape('' if value is None else str(value))}</td></tr>"
        for label, value in rows
    )
    return f"<div style='font: 12px/1.4 sans-serif'><b>{html.escape(title)}</b><table>{cells}</table></div>"


def _legend(feeders: pd.DataFrame, colours: dict[str, str], language: str) -> str:
    names = {str(row.feeder_code): str(row.feeder_name) for row in feeders.itertuples(index=False)}
    items = [
        f"<div><span style='display:inline-block;width:11px;height:11px;border-radius:50%;"
        f"background:{SUBSTATION_COLOUR};border:1px solid #fff;margin-right:6px'></span>"
        f"{html.escape(t('map.legend.substation', language))}</div>",
        f"<div style='margin:4px 0 2px;font-weight:600'>{html.escape(t('map.legend.transformer', language))}</div>",
    ]
    for code, colour in colours.items():
        label = f"{code} — {names[code]}" if code in names else code
        items.append(
            f"<div><span style='display:inline-block;width:10px;height:10px;border-radius:50%;"
            f"background:{colour};margin-right:6px'></span>{html.escape(label)}</div>"
        )
    return "".join(items)


def _radius(rating_kva: object) -> float:
    # Larger transformers read larger, within a range that keeps dense areas legible.
    if not isinstance(rating_kva, int | float) or math.isnan(rating_kva) or rating_kva <= 0:
        return 6.0
    return max(5.0, min(11.0, 2.0 + math.sqrt(rating_kva) / 3.0))


def _has_position(latitude: object, longitude: object) -> bool:
    return all(isinstance(value, int | float) and not math.isnan(value) for value in (latitude, longitude))


def _points(placed: pd.DataFrame) -> list[tuple[float, float]]:
    points = list(zip(placed["latitude"], placed["longitude"], strict=True))
    points += [
        (latitude, longitude)
        for latitude, longitude in zip(placed["substation_latitude"], placed["substation_longitude"], strict=True)
        if _has_position(latitude, longitude)
    ]
    return points


def _centre(placed: pd.DataFrame) -> tuple[float, float]:
    points = _points(placed)
    if not points:
        return (14.6937, -17.4441)
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _bounds(placed: pd.DataFrame) -> list[list[float]] | None:
    points = _points(placed)
    if not points:
        return None
    latitudes = [p[0] for p in points]
    longitudes = [p[1] for p in points]
    return [[min(latitudes), min(longitudes)], [max(latitudes), max(longitudes)]]


# --- maps of points: losses, suspects, recovery, a customer's premises ----------------------------------------------

LOSS_CLASS = "yeelen-loss"
SUSPECT_CLASS = "yeelen-suspect"
RECOVERY_CLASS = "yeelen-recovery"
PREMISES_CLASS = "yeelen-premises"
# Classes of loss share for the colours of the map (a reading aid; the figures are those of the mart).
LOSS_CLASSES: tuple[tuple[float, str], ...] = (
    (0.05, "#1a9850"),
    (0.10, "#91cf60"),
    (0.15, "#fee08b"),
    (0.25, "#fc8d59"),
    (math.inf, "#d73027"),
)
UNTRUSTED_COLOUR = "#9e9e9e"
SCORE_CLASSES: tuple[tuple[float, str], ...] = ((4.0, "#fdae61"), (6.0, "#f46d43"), (math.inf, "#a50026"))
STATUS_COLOURS = {
    "eligible": "#4e79a7",
    "pending": "#7f7f7f",
    "notice_delivered": "#4e79a7",
    "paid": "#59a14f",
    "disconnected": "#e15759",
    "refused": "#b07aa1",
    "reconnected": "#76b7b2",
}


def points_map(
    points: pd.DataFrame,
    *,
    class_name: str,
    legend: str | None = None,
    cluster: bool = False,
    tiles_url: str | None = None,
    tiles_attribution: str = "",
) -> folium.Map:
    """Circle markers at ``latitude``/``longitude`` with the ``colour``, ``radius``, ``popup`` (HTML) and
    ``tooltip`` (text) of each row; clustered when there are many (``OfflineMarkerCluster``)."""
    placed = points.dropna(subset=["latitude", "longitude"])
    coordinates = list(zip(placed["latitude"], placed["longitude"], strict=True))
    centre = (
        (sum(p[0] for p in coordinates) / len(coordinates), sum(p[1] for p in coordinates) / len(coordinates))
        if coordinates
        else (14.6937, -17.4441)
    )
    folium_map = OfflineMap(location=centre, zoom_start=12, tiles_url=tiles_url, tiles_attribution=tiles_attribution)
    layer = OfflineMarkerCluster(options={"maxClusterRadius": 40}).add_to(folium_map) if cluster else folium_map
    for row in placed.itertuples(index=False):
        marker = folium.CircleMarker(
            (row.latitude, row.longitude),
            radius=float(row.radius),
            color="#ffffff",
            weight=1,
            fill=True,
            fill_color=row.colour,
            fill_opacity=0.9,
            class_name=class_name,
        )
        TextPopup(row.popup).add_to(marker)
        TextTooltip(row.tooltip).add_to(marker)
        marker.add_to(layer)
    if legend:
        Legend(legend).add_to(folium_map)
    if coordinates:
        latitudes = [p[0] for p in coordinates]
        longitudes = [p[1] for p in coordinates]
        FitToBounds([[min(latitudes), min(longitudes)], [max(latitudes), max(longitudes)]]).add_to(folium_map)
    return folium_map


def loss_colour(share: object, trusted: object = True) -> str:
    """The colour of a loss share on the map; grey when the balance cannot be trusted or has no share."""
    if not trusted or not isinstance(share, int | float) or math.isnan(share):
        return UNTRUSTED_COLOUR
    return next(colour for limit, colour in LOSS_CLASSES if share < limit)


def score_colour(score: object) -> str:
    """The colour of a suspicion score on the map."""
    value = float(score) if isinstance(score, int | float) and not math.isnan(score) else 0.0
    return next(colour for limit, colour in SCORE_CLASSES if value < limit)


def _swatch(colour: str, label: str) -> str:
    return (
        f"<div><span style='display:inline-block;width:10px;height:10px;border-radius:50%;"
        f"background:{colour};margin-right:6px'></span>{html.escape(label)}</div>"
    )


@st.cache_data(max_entries=32, show_spinner=False)
def loss_map_html(
    balances: pd.DataFrame, language: str, tiles_url: str | None = None, tiles_attribution: str = ""
) -> str:
    """Feeders, transformers or water districts coloured by their loss share, with their balance in a popup."""
    points = balances.assign(
        colour=[loss_colour(s, ok) for s, ok in zip(balances["loss_share"], balances["is_trusted"], strict=True)],
        radius=[_radius(value) for value in balances.get("rating_kva", pd.Series([None] * len(balances)))],
        popup=[_loss_popup(row, language) for row in balances.itertuples(index=False)],
        tooltip=[
            f"{row.equipment_code} — {format_percent(row.loss_share, language=language)}"
            for row in balances.itertuples(index=False)
        ],
    )
    limits = [0.0] + [limit for limit, _colour in LOSS_CLASSES[:-1]]
    legend = f"<div style='font-weight:600;margin-bottom:2px'>{html.escape(t('losses.legend', language))}</div>"
    for (limit, colour), lower in zip(LOSS_CLASSES, limits, strict=True):
        upper = "+" if math.isinf(limit) else f"–{format_percent(limit, 0, language)}"
        legend += _swatch(colour, f"{format_percent(lower, 0, language)}{upper}")
    legend += _swatch(UNTRUSTED_COLOUR, t("losses.legend_untrusted", language))
    folium_map = points_map(
        points, class_name=LOSS_CLASS, legend=legend, tiles_url=tiles_url, tiles_attribution=tiles_attribution
    )
    return folium_map.get_root().render()


def _loss_popup(row: object, language: str) -> str:
    return _table(
        f"{row.equipment_code} — {row.equipment_name}",
        [
            (t("popup.agency", language), row.agency_name),
            (t("column.delivered", language), format_number(row.delivered, language=language)),
            (t("column.consumed", language), format_number(row.consumed, language=language)),
            (t("column.loss_share", language), format_percent(row.loss_share, language=language)),
            (t("column.non_technical_share", language), format_percent(row.non_technical_share, language=language)),
            (t("column.trend", language), t(f"trend.{row.trend}", language) if row.trend else "—"),
            (t("column.trust", language), t(f"trust.{row.trust_issue}", language) if row.trust_issue else "✔"),
        ],
    )


@st.cache_data(max_entries=32, show_spinner=False)
def suspects_map_html(
    suspects: pd.DataFrame, language: str, tiles_url: str | None = None, tiles_attribution: str = ""
) -> str:
    """Suspects clustered on the map, coloured by score, with the reasons of each in its popup."""
    reasons = "reasons_fr" if language == "fr" else "reasons_en"
    points = suspects.assign(
        colour=[score_colour(score) for score in suspects["score"]],
        radius=7.0,
        popup=[
            _table(
                f"{row.contract_reference} — {row.customer_name}",
                [
                    (t("column.score", language), format_number(row.score, 1, language)),
                    (t("column.transformer", language), row.transformer_code),
                    (t("column.rules", language), row.rule_codes),
                    (t("column.reasons", language), getattr(row, reasons)),
                ],
            )
            for row in suspects.itertuples(index=False)
        ],
        tooltip=[
            f"{row.contract_reference} ({format_number(row.score, 1, language)})" for row in suspects.itertuples()
        ],
    )
    legend = f"<div style='font-weight:600;margin-bottom:2px'>{html.escape(t('suspects.legend', language))}</div>"
    lower = 0.0
    for limit, colour in SCORE_CLASSES:
        upper = "+" if math.isinf(limit) else f"–{format_number(limit, language=language)}"
        legend += _swatch(colour, f"{format_number(lower, language=language)}{upper}")
        lower = limit
    folium_map = points_map(
        points,
        class_name=SUSPECT_CLASS,
        legend=legend,
        cluster=True,
        tiles_url=tiles_url,
        tiles_attribution=tiles_attribution,
    )
    return folium_map.get_root().render()


@st.cache_data(max_entries=32, show_spinner=False)
def recovery_map_html(
    points: pd.DataFrame, colour_by: str, language: str, tiles_url: str | None = None, tiles_attribution: str = ""
) -> str:
    """Disconnection candidates or campaign targets, coloured by agent or by field status, clustered.

    ``points`` has latitude, longitude, contract_reference, customer_name, collection_agent, amount_label and
    status; ``colour_by`` is ``agent`` or ``status``.
    """
    if colour_by == "agent":
        colours = feeder_colours(points["collection_agent"].astype(str))
        fill = [colours[str(agent)] for agent in points["collection_agent"]]
        entries = [(colour, agent) for agent, colour in colours.items()]
    else:
        fill = [STATUS_COLOURS.get(str(status), "#7f7f7f") for status in points["status"]]
        present = list(dict.fromkeys(str(status) for status in points["status"]))
        entries = [(STATUS_COLOURS.get(status, "#7f7f7f"), t(f"target.{status}", language)) for status in present]
    marked = points.assign(
        colour=fill,
        radius=7.0,
        popup=[
            _table(
                f"{row.contract_reference} — {row.customer_name}",
                [
                    (t("column.agent", language), row.collection_agent),
                    (t("column.amount_due", language), row.amount_label),
                    (t("column.status", language), t(f"target.{row.status}", language)),
                ],
            )
            for row in points.itertuples(index=False)
        ],
        tooltip=[f"{row.contract_reference} — {row.amount_label}" for row in points.itertuples(index=False)],
    )
    legend = "".join(_swatch(colour, label) for colour, label in entries[:20])
    folium_map = points_map(
        marked,
        class_name=RECOVERY_CLASS,
        legend=legend,
        cluster=True,
        tiles_url=tiles_url,
        tiles_attribution=tiles_attribution,
    )
    return folium_map.get_root().render()


@st.cache_data(max_entries=64, show_spinner=False)
def premises_map_html(premises: pd.DataFrame, language: str, tiles_url: str | None = None) -> str:
    """A customer's delivery points (``premises``: latitude, longitude, contract_reference, address, commodity).

    Cached: the same customer gives the browser the same page on every rerun, so the map is not reloaded (and
    keeps the user's zoom) while they work on the account."""
    points = premises.assign(
        colour=["#2f6fb0" if commodity == "water" else "#e8a317" for commodity in premises["commodity"]],
        radius=9.0,
        popup=[
            _table(str(row.contract_reference), [(t("column.address", language), row.address)])
            for row in premises.itertuples(index=False)
        ],
        tooltip=[str(reference) for reference in premises["contract_reference"]],
    )
    return points_map(points, class_name=PREMISES_CLASS, tiles_url=tiles_url).get_root().render()
