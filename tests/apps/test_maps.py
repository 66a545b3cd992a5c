"""The network map: offline assets only, one shape per transformer and substation, escaped text."""

from __future__ import annotations

import folium
import maps
import pandas as pd
import pytest
from streamlit import config as streamlit_config

from . import marts_fixture

TRANSFORMER_COLUMNS = [
    "transformer_id",
    "transformer_code",
    "transformer_name",
    "rating_kva",
    "latitude",
    "longitude",
    "feeder_id",
    "feeder_code",
    "feeder_name",
    "substation_id",
    "substation_code",
    "substation_name",
    "substation_latitude",
    "substation_longitude",
    "agency_id",
    "agency_code",
    "agency_name",
    "active_contracts",
]
FEEDER_COLUMNS = [
    "feeder_id",
    "feeder_code",
    "feeder_name",
    "voltage_kv",
    "substation_id",
    "substation_code",
    "substation_name",
    "substation_latitude",
    "substation_longitude",
    "transformers",
    "active_contracts",
]


def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = marts_fixture.table_rows()
    return (
        pd.DataFrame(rows["dim_transformers"], columns=TRANSFORMER_COLUMNS),
        pd.DataFrame(rows["dim_feeders"], columns=FEEDER_COLUMNS),
    )


def rendered(folium_map: folium.Map) -> str:
    return folium_map.get_root().render()


def test_the_map_needs_nothing_from_outside_the_app() -> None:
    source = rendered(maps.network_map(*frames()))

    assert "http://" not in source and "https://" not in source
    assert "$(" not in source, "folium's jQuery popups are not used"
    assert source.count("<script src=") == 1
    assert '<script src="/app/static/vendor/leaflet-1.9.4/leaflet.js"></script>' in source
    assert (maps.APP_STATIC / "vendor/leaflet-1.9.4/leaflet.js").is_file()


def test_one_shape_per_transformer_substation_and_feeder_line() -> None:
    source = rendered(maps.network_map(*frames()))

    assert source.count(f'"className": "{maps.TRANSFORMER_CLASS}"') == len(marts_fixture.TRANSFORMERS)
    assert source.count(f'"className": "{maps.SUBSTATION_CLASS}"') == len(marts_fixture.SUBSTATIONS)
    assert source.count(f'"className": "{maps.FEEDER_LINE_CLASS}"') == len(marts_fixture.TRANSFORMERS)
    assert "L.control(" in source, "the legend is drawn"


def test_transformers_are_coloured_by_feeder() -> None:
    transformers, _feeders = frames()
    colours = maps.feeder_colours(transformers["feeder_code"])

    assert len(set(colours.values())) == len(marts_fixture.FEEDERS)
    assert maps.feeder_colours(reversed(list(transformers["feeder_code"]))) == colours, "colours are stable"


def test_text_from_the_marts_is_escaped() -> None:
    transformers, feeders = frames()
    transformers.loc[0, "transformer_name"] = "<script>alert('x')</script>"
    transformers.loc[1, "transformer_code"] = "P-`${alert(1)}`"

    source = rendered(maps.network_map(transformers, feeders))

    assert "<script>alert" not in source
    assert "\\u0026lt;script\\u0026gt;alert" in source, "HTML-escaped, then JSON-escaped"
    assert 'bindTooltip("P-`${alert(1)}`"' in source, "a plain JSON string, never a template literal"


def test_transformers_without_coordinates_are_left_out() -> None:
    transformers, feeders = frames()
    transformers.loc[0, ["latitude", "longitude"]] = None

    source = rendered(maps.network_map(transformers, feeders))

    assert source.count(f'"className": "{maps.TRANSFORMER_CLASS}"') == len(marts_fixture.TRANSFORMERS) - 1


def test_a_configured_tile_server_is_used() -> None:
    source = rendered(
        maps.network_map(
            *frames(), tiles_url="https://tiles.example.org/{z}/{x}/{y}.png", tiles_attribution="© Example"
        )
    )

    assert "https://tiles.example.org/{z}/{x}/{y}.png" in source
    assert "© Example" in source or "\\u00a9 Example" in source


def test_folium_defaults_are_left_untouched() -> None:
    before = (list(folium.Map.default_js), list(folium.Map.default_css))

    maps.OfflineMap(location=(14.7, -17.4))

    assert (folium.Map.default_js, folium.Map.default_css) == before


@pytest.fixture
def base_url_path():
    previous = streamlit_config.get_option("server.baseUrlPath")
    streamlit_config.set_option("server.baseUrlPath", "/yeelen/")
    yield
    streamlit_config.set_option("server.baseUrlPath", previous)


def test_static_addresses_follow_the_base_url_path(base_url_path: None) -> None:
    assert maps.static_url("vendor/x.js") == "/yeelen/app/static/vendor/x.js"


def test_marker_clusters_come_from_the_app_too() -> None:
    folium_map = maps.OfflineMap(location=(14.7, -17.4))
    cluster = maps.OfflineMarkerCluster().add_to(folium_map)
    folium.CircleMarker((14.7, -17.4), radius=5).add_to(cluster)

    source = rendered(folium_map)

    assert "http://" not in source and "https://" not in source
    assert "/app/static/vendor/leaflet.markercluster-1.5.3/leaflet.markercluster.js" in source
    assert "L.markerClusterGroup(" in source
    assert '"maxZoom": 19' in source, "clustering needs a maximum zoom, which no tile layer gives here"


@pytest.mark.parametrize(
    ("folder", "files"),
    [
        ("leaflet-1.9.4", ["leaflet.js", "leaflet.css", "LICENSE", "images/layers.png"]),
        (
            "leaflet.markercluster-1.5.3",
            ["leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css", "MIT-LICENCE.txt"],
        ),
    ],
)
def test_vendored_libraries_keep_their_licence(folder: str, files: list[str]) -> None:
    for name in files:
        assert (maps.APP_STATIC / "vendor" / folder / name).is_file(), name
    assert 't.version="1.9.4"' in (maps.APP_STATIC / "vendor/leaflet-1.9.4/leaflet.js").read_text(encoding="utf-8")


@pytest.mark.parametrize(("language", "label"), [("fr", "Contrats actifs"), ("en", "Active contracts")])
def test_popups_and_legend_speak_the_chosen_language(language: str, label: str) -> None:
    source = rendered(maps.network_map(*frames(), language=language))

    assert label in source
    assert ("Source substation" in source) == (language == "en")
