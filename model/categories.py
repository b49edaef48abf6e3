"""Categories used as small-integer columns of the population store.

Each is an ``IntEnum`` so that a column holds compact integers while code and outputs use the
names of the census and the policy.
"""

from __future__ import annotations

from enum import IntEnum


class Sex(IntEnum):
    MALE = 0
    FEMALE = 1


class Kind(IntEnum):
    """Migration type. Dependents (children, elderly parents) carry their household's kind."""

    RESIDENT = 0
    MIGRANT_WORKER = 1
    GRADUATE = 2  # students and graduates of local and other universities
    TALENT = 3  # high-level talent (PhD, senior engineers, researchers)


class Role(IntEnum):
    """Role in the household."""

    HEAD = 0
    SPOUSE = 1
    CHILD = 2
    PARENT = 3  # an elderly parent of the head or spouse
    OTHER = 4


class Education(IntEnum):
    PRIMARY_OR_LESS = 0
    JUNIOR_SECONDARY = 1
    SENIOR_SECONDARY = 2
    COLLEGE = 3  # 大专, junior college and higher vocational
    BACHELOR = 4
    POSTGRADUATE = 5


class Tenure(IntEnum):
    OWN = 0
    RENT = 1
    PUBLIC_RENTAL = 2  # 公租房, measure H1
    TALENT_APARTMENT = 3  # 人才公寓, measure H4
    DORMITORY = 4  # employer or school dormitory


class Area(IntEnum):
    """Where in Baotou: the main urban districts (measure H2) or the county and banners."""

    MAIN_URBAN = 0
    OUTER = 1


class Origin(IntEnum):
    """Origin group of people who moved to Baotou (BAOTOU for those born or registered here)."""

    BAOTOU = 0
    REST_OF_INNER_MONGOLIA = 1
    NEIGHBOURING_PROVINCES = 2
    REST_OF_CHINA = 3


class Division(IntEnum):
    """Baotou's county-level divisions (旗县区); the order of ``model/data/districts.toml``.

    The first four are the urban districts (主城区, the main urban area of measure H2); the
    rest are the outlying districts, the county and the banners.
    """

    KUNDULUN = 0  # 昆都仑区
    QINGSHAN = 1  # 青山区
    DONGHE = 2  # 东河区
    JIUYUAN = 3  # 九原区
    SHIGUAI = 4  # 石拐区
    BAYAN_OBO = 5  # 白云鄂博矿区
    TUMED_RIGHT = 6  # 土默特右旗
    GUYANG = 7  # 固阳县
    DARHAN_MUMINGGAN = 8  # 达尔罕茂明安联合旗
