"""The built boundaries and places put things where they are."""

from __future__ import annotations

import itertools

import pytest

import shapely
from shapely.geometry import Point

from geodata.load import Atlas

STATIONS = ("beijing_west", "beijing_south", "beijing_fengtai")


def _boundary(atlas: Atlas, boundary_id: str) -> shapely.Geometry:
    b = atlas.table("boundaries")
    return b.loc[b["id"] == boundary_id, "geometry"].iloc[0]


def _place(atlas: Atlas, place_id: str) -> Point:
    p = atlas.table("places")
    return p.loc[p["id"] == place_id, "geometry"].iloc[0]


@pytest.mark.parametrize("station", STATIONS)
def test_the_three_stations_lie_in_fengtai(atlas: Atlas, station: str) -> None:
    assert _boundary(atlas, "110106").contains(_place(atlas, station))


@pytest.mark.parametrize(
    ("lon", "lat", "district"),
    [
        (116.3975, 39.9087, "110101"),  # Tiananmen (WGS-84, OSM) is in Dongcheng
        (116.2867, 39.8587, "110106"),  # Fengtai district government (FACTS.md)
        (117.0089, 39.1411, "120111"),  # Xiqing district (FACTS.md)
        (116.1532, 39.0557, "130600"),  # Xiong'an station (FACTS.md) is in Baoding prefecture
        (114.4786, 38.0414, "130100"),  # Shijiazhuang (FACTS.md)
    ],
)
def test_known_point_lands_in_the_right_district(
    atlas: Atlas, lon: float, lat: float, district: str
) -> None:
    b = atlas.table("boundaries")
    units = b[b["level"].isin(["district", "prefecture"])]
    hits = units[units.contains(Point(lon, lat))]["id"].tolist()
    assert hits == [district]


def test_every_place_lies_inside_jingjinji(atlas: Atlas) -> None:
    b = atlas.table("boundaries")
    region = shapely.union_all(b[b["level"] == "province"].geometry.values)
    places = atlas.table("places")
    outside = places[~places.geometry.within(region.buffer(0.001))]["id"].tolist()
    assert outside == []


def test_xiongan_station_is_inside_the_new_area_outline(atlas: Atlas) -> None:
    assert _boundary(atlas, "xiongan").contains(_place(atlas, "xiongan_station"))


def test_neighbouring_boundaries_do_not_overlap(atlas: Atlas) -> None:
    b = atlas.table("boundaries")
    units = b[b["level"].isin(["district", "prefecture"])].to_crs("EPSG:32650")
    assert len(units) == 16 + 16 + 11
    geoms = list(zip(units["id"], units.geometry, strict=True))
    tree = shapely.STRtree([g for _, g in geoms])
    overlaps = []
    for i, j in itertools.combinations(range(len(geoms)), 2):
        (a_id, a), (b_id, b_geom) = geoms[i], geoms[j]
        if tree.geometries[i].intersects(tree.geometries[j]):
            area = a.intersection(b_geom).area
            if area > 1.0:  # square metres: shared borders only, no overlap
                overlaps.append((a_id, b_id, round(area)))
    assert overlaps == []
    assert shapely.coverage_is_valid(units.geometry.values)


def test_provinces_are_the_union_of_their_units(atlas: Atlas) -> None:
    b = atlas.table("boundaries").to_crs("EPSG:32650")
    for code in ("110000", "120000", "130000"):
        province = b.loc[b["id"] == code, "geometry"].iloc[0]
        children = b[(b["parent_id"] == code) & b["level"].isin(["district", "prefecture"])]
        union = shapely.union_all(children.geometry.values)
        assert province.symmetric_difference(union).area / province.area < 1e-6


def test_boundaries_are_simplified_but_not_degenerate(atlas: Atlas) -> None:
    b = atlas.table("boundaries")
    vertices = int(shapely.get_num_coordinates(b.geometry.values).sum())
    assert 5_000 < vertices < 120_000
    fengtai_km2 = _boundary(atlas, "110106")
    area = b.loc[b["id"] == "110106"].to_crs("EPSG:32650").area.iloc[0] / 1e6
    assert 290 < area < 320, (area, fengtai_km2.bounds)  # Fengtai is ~306 km²


def test_every_place_lies_in_the_unit_its_source_names(atlas: Atlas) -> None:
    """A receiving site lies in the county the source names, a Fengtai site in Fengtai, and a
    stand-in point inside the area it stands for (``within`` holds that unit's id)."""
    places, boundaries = atlas.table("places"), atlas.table("boundaries")
    units = dict(zip(boundaries["id"], boundaries.geometry, strict=True))
    checked = places[places["within"].fillna("") != ""]
    assert len(checked) >= 30
    outside = [
        (r.id, r.within) for r in checked.itertuples() if not units[r.within].covers(r.geometry)
    ]
    assert not outside, f"places outside the unit their source names: {outside}"
    receiving = places[places["kind"] == "receiving_site"]
    assert set(receiving["id"]) <= set(checked["id"]), "every receiving site names its unit"
