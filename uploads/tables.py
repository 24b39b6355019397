"""Tables a planner adds (CSV, or a spreadsheet read by GDAL): points from longitude and
latitude columns, else rows joined to districts by name or code (``uploads.join``)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

import geopandas as gpd

from uploads.errors import UploadError, short
from uploads.join import Joined, join_districts

ENCODINGS = ("utf-8-sig", "gbk", "gb18030")
LON_NAMES = ("lon", "lng", "long", "longitude", "x", "经度", "東經", "东经")
LAT_NAMES = ("lat", "latitude", "y", "纬度", "北纬")


def read_csv(label: str, data: bytes) -> pd.DataFrame:
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise UploadError(
                f"{label} is not a readable CSV table: {short(exc)}",
                f"{label} 不是可读取的 CSV 表格：{short(exc)}",
            ) from exc
    tried = ", ".join(ENCODINGS)
    raise UploadError(
        f"{label} is in none of the encodings tried ({tried}).",
        f"{label} 的编码不是已尝试的任何一种（{tried}）。",
    )


def column(frame: pd.DataFrame, names: tuple[str, ...]) -> str | None:
    by_name = {str(c).strip().lower(): c for c in frame.columns}
    return next((by_name[n] for n in names if n in by_name), None)


def read_table(
    label: str, table: pd.DataFrame, boundaries: gpd.GeoDataFrame | None = None
) -> gpd.GeoDataFrame | Joined:
    """Points from a table's longitude and latitude columns; a bad cell names its row (as a
    spreadsheet counts them: the header is row 1) and field."""
    lon, lat = column(table, LON_NAMES), column(table, LAT_NAMES)
    if lon is None or lat is None:
        joined = join_districts(table, boundaries) if boundaries is not None else None
        if joined is not None:
            return joined
        raise UploadError(
            f"{label} has no longitude/latitude columns (looked for lon, lng, longitude, 经度 "
            "and lat, latitude, 纬度) and no column of district or prefecture names or codes.",
            f"{label} 既没有经纬度字段（已查找 lon、lng、longitude、经度 和 lat、latitude、纬度），"
            "也没有区县或地级市名称、代码字段。",
        )
    values = {}
    for col in (lon, lat):
        numbers = pd.to_numeric(table[col].astype(str).str.strip(), errors="coerce")
        bad = numbers.isna() | ~np.isfinite(numbers)
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            value = table[col].iloc[row]
            raise UploadError(
                f"{label}, row {row + 2}, field {col}: {value!r} is not a number.",
                f"{label} 第 {row + 2} 行、字段 {col}：{value!r} 不是数字。",
            )
        values[col] = numbers.to_numpy(dtype=float)
    rest = table.drop(columns=[lon, lat])
    return gpd.GeoDataFrame(
        rest, geometry=gpd.points_from_xy(values[lon], values[lat]), crs="EPSG:4326"
    )
