"""The effect of a scenario A against a counterfactual B: the one definition.

Every figure about what measures buy (`compare`'s effects.csv, ``model.api.compare`` and the
experiments' outcomes) comes from the functions here, applied to two runs with the same seed
(common random numbers). They are pure functions of yearly indicator tables: index ``year``, one
column per indicator (``wide`` makes one from the long rows ``year, indicator, value``), persons
at full scale and yuan. In short: extra residents are A's population minus B's, net cost is A's
fiscal cost minus B's, and the cost per additional resident is the cumulative net cost over the
extra residents (the difference in cost over the difference in residents). Next to it, for a
finance office: the same discounted per discounted additional resident-year (the rate and base year
in ``model/data/finance.toml``), the extra residents split into movers and births, the transfers
to people who would have been in Baotou anyway (deadweight) and the spending on amounts the text
gives apart from assumed ones, from the runs' books (``model.indicators.BOOKS``). ``DEFINITION``
says it in full, with what it is not (marginal); docs/outputs.md prints it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model import params
from model.indicators import KINDS
from model.scenario import measure_specs

MEASURES = list(measure_specs())
FINANCE = "finance"  # model/data/finance.toml


def social_discount_rate() -> float:
    """The rate at which later years' yuan and resident-years are discounted (finance.toml)."""
    return float(params.value(FINANCE, "social_discount_rate"))


def discount_base_year() -> int:
    """The year whose yuan the discounted figures are in (finance.toml)."""
    return int(params.value(FINANCE, "discount_base_year"))


# What `compare` writes for each seed and year (scenario "<scenario>-vs-<against>"), and summarises
# in effects.csv, in this order. <kind> is resident, migrant_worker, graduate or talent; <id> a measure.
EFFECTS = {
    "extra_population": "population at year end, scenario minus counterfactual (persons)",
    "extra_in_migration": "arrivals, scenario minus counterfactual (persons)",
    "fewer_departures": "departures, counterfactual minus scenario (persons; negative: more departures)",
    "extra_births": "births, scenario minus counterfactual (persons)",
    "extra_in_migration_<kind>": "arrivals of one kind, with their dependants (persons)",
    "fewer_departures_<kind>": "departures of one kind avoided (persons; negative: more departures)",
    "cost_total": "fiscal cost of all measures in the scenario in the year, N1 included (yuan)",
    "cumulative_cost_total": "fiscal cost of the scenario since the start (yuan)",
    "net_cost_total": "fiscal cost in the year, scenario minus counterfactual (yuan)",
    "cumulative_net_cost_total": "fiscal cost since the start, scenario minus counterfactual (yuan)",
    "cost_per_additional_resident": (
        "cumulative net cost / extra population: the difference in cost over the difference in residents "
        "(yuan per person; blank for a seed with no extra, so the mean over seeds is over those that gained: "
        "the `seeds` column of effects.csv counts them)"
    ),
    "extra_movers": (
        "extra arrivals plus fewer departures, cumulated from the start: the extra residents who moved (persons)"
    ),
    "cumulative_extra_births": "extra births cumulated from the start (persons)",
    "cumulative_extra_deaths": "extra deaths cumulated from the start (persons; the extra residents die too)",
    "additional_resident_years": (
        "years lived in Baotou by the extra residents, cumulated from the start: each year the mean of the "
        "extra population at its start and its end, times the months simulated / 12 (person-years)"
    ),
    "discounted_additional_resident_years": (
        "the same, each year's resident-years times the discount factor (person-years in base-year terms)"
    ),
    "discounted_net_cost_total": (
        "net cost cumulated from the start, each year's times the discount factor (yuan of the base year)"
    ),
    "cost_per_additional_resident_year": (
        "cumulative net cost / additional resident-years, undiscounted (yuan per person-year; blank where none)"
    ),
    "discounted_cost_per_additional_resident_year": (
        "discounted net cost / discounted additional resident-years (yuan per person-year; blank where none)"
    ),
    "transfers_total": "spending of the scenario in the year paid to identified persons (yuan)",
    "deadweight_total": (
        "of those transfers, the yuan paid to persons who were in Baotou at the end of that month in the "
        "counterfactual too (yuan)"
    ),
    "deadweight_share": (
        "cumulative deadweight / cumulative transfers: the share of transfers that went to people who would "
        "have been in Baotou anyway (percent; blank before any transfer)"
    ),
    "text_cost_total": "spending of the scenario in the year on amounts the text gives (yuan)",
    "assumed_cost_total": "spending of the scenario in the year on amounts that are assumptions (yuan)",
    "net_text_cost_total": "text_cost_total, scenario minus counterfactual (yuan)",
    "net_assumed_cost_total": "assumed_cost_total, scenario minus counterfactual (yuan)",
    "assumed_share_of_net_cost": (
        "cumulative net cost on assumed amounts / cumulative net cost (percent; blank where the net cost is "
        "not positive)"
    ),
    "cost_<id>": "fiscal cost of one measure in the scenario in the year (yuan)",
    "net_cost_<id>": "fiscal cost of one measure in the year, scenario minus counterfactual (yuan)",
    "attributed_<id>": (
        "expected extra residents from one measure's effect on decisions in the year, as the scenario "
        "attributes them minus as the counterfactual does (persons)"
    ),
    "cost_per_additional_resident_<id>": (
        "cumulative net cost of a measure / its cumulative attributed residents (yuan; blank if none)"
    ),
    "discounted_net_cost_<id>": "a measure's net cost cumulated from the start, discounted (yuan of the base year)",
    "discounted_cost_per_attributed_resident_year_<id>": (
        "a measure's discounted net cost / the discounted resident-years of its cumulative attributed residents "
        "(yuan per person-year; blank if none)"
    ),
    "text_cost_<id>": "one measure's spending in the scenario in the year on amounts the text gives (yuan)",
    "assumed_cost_<id>": "one measure's spending in the scenario in the year on assumed amounts (yuan)",
    "net_assumed_cost_<id>": "assumed_cost_<id>, scenario minus counterfactual (yuan)",
    "transfers_<id>": "one measure's spending in the scenario in the year paid to identified persons (yuan)",
    "deadweight_<id>": "of those, paid to persons in Baotou in the counterfactual too that month (yuan)",
    "deadweight_share_<id>": "a measure's cumulative deadweight / its cumulative transfers (percent; blank if none)",
}

# The definition in words, for docs/outputs.md (generated by `python -m model docs`).
DEFINITION = """\
"A against B", a scenario A against its counterfactual B run with the same seeds, means for each
seed and year:

- **extra residents** = population of A minus population of B at year end. They count extra
  births (and any change in deaths) as well as movers.
- **net cost** = fiscal cost of A minus fiscal cost of B, in the year and cumulated from the
  start. Against the baseline it is the scenario's own cost less what the baseline pays anyway
  (the city's share of the lines the national railway builds regardless, N1, which both pay).
- **cost per additional resident** = cumulative net cost / extra residents: the difference in
  cost over the difference in residents, blank where there are no extra residents. It is an
  average over all that A does differently from B, not a marginal cost (what one more resident
  would cost), and it is undiscounted (a yuan in 2035 counts as a yuan in 2022).
- **by measure**: a measure's net cost is its cost in A minus its cost in B; its attributed
  residents are those A attributes to it minus those B attributes to it (none where B lacks the
  measure); its cost per additional resident is the one cumulated over the other. Where B has
  the measure too (the package renewed against the package as issued), the time both have it
  cancels in cost and in residents alike. What happens anyway (N1) is in A and B alike and no
  resident is attributed to it: its attributed residents are 0 and its net cost cancels.
  Attributed residents by measure do not add up exactly to the extra population.

For a finance office, per seed and year (t), with r the social discount rate and t0 the base
year of `model/data/finance.toml` (8 %, the NDRC's 建设项目经济评价方法与参数, 3rd ed.; 2022):

- **movers and births**: extra residents = extra movers + cumulative extra births - cumulative
  extra deaths, where extra movers = cumulative (extra arrivals + fewer departures). The births
  are residents the scenario adds without anyone moving (F1, and the children of extra movers).
- **resident-years**: y(t) = (E(t-1) + E(t)) / 2 x months(t) / 12, E the extra population at year
  end (E = 0 before the first year, whose start populations are the same); additional
  resident-years = the sum of y up to t.
- **discounting**: d(t) = (1 + r)^-(t - t0), a year counting whole. Discounted net cost = sum of
  d x net cost; discounted additional resident-years = sum of d x y; **discounted cost per
  discounted additional resident-year** = the one over the other. Undiscounted (r = 0) it is the
  cumulative net cost over the additional resident-years, shown next to it, as is the cost per
  additional resident (a stock at one year end, not years lived). The ratio does not depend on
  t0. By measure: its discounted net cost over the discounted resident-years of its cumulative
  attributed residents.
- **transfers and deadweight**: each payment of a measure is a transfer when it goes to
  identified persons (a rent paid, a bonus, a school place, a birth reward; not a programme
  budget or a building share). The scenario run is given who was in Baotou when in the
  counterfactual run with the same seed (the counterfactual runs first); people, their children
  and outside candidates keep their keys across the two runs, so a payment to a person who was
  in Baotou at the end of that month in the counterfactual too went to someone who would have
  come or stayed anyway: **deadweight**. Deadweight share = cumulative deadweight / cumulative
  transfers; the rest went to people whose decision (or birth) the scenario changed. A
  household's payment (a flat) is its head's; childcare places are shared among all under-3s.
- **text-given and assumed amounts**: a payment's amounts are text-given when every parameter it
  is computed from (the amount, rate or months, and any capacity or quota that caps how many are
  paid) has a `source` in `model/data/measures.toml` (for a line, `city_share_source` in
  `transport.toml`) and the scenario keeps that value; otherwise assumed (an `assumption`, or
  a scenario's own number). How many are paid, and the market rents and prices, are the
  model's. cost_text + cost_assumed = cost, by measure and in total; assumed share of net cost =
  cumulative (A's assumed - B's assumed) / cumulative net cost. `costs.csv` labels a measure
  `text`, `assumed` or `mixed` by where its spending to the last year went (`none`: no spending).

The mean and 90 % interval in `effects.csv` are over the seeds' values (for a ratio, over the
seeds' ratios). The experiments' outcomes `cost_2035` and `cost_per_additional_resident_2035`
(`outcomes.csv`, one row per point and seed) are the same cumulative net cost and ratio in 2035;
`cost_per_discounted_resident_year_2035` and `deadweight_share_2035` are
`discounted_cost_per_additional_resident_year` and `deadweight_share` in 2035 (the experiments
run the counterfactual first, as `compare` does)."""


def wide(indicators: pd.DataFrame) -> pd.DataFrame:
    """One run's long rows (``year, indicator, value``) as a table by year, one column per indicator."""
    # dropna=False keeps a figure that is blank every year (the deadweight of a run without a counterfactual).
    return indicators.pivot_table(index="year", columns="indicator", values="value", dropna=False)


def extra_residents(a: pd.DataFrame, b: pd.DataFrame) -> pd.Series:
    """Population at year end, A minus B (persons)."""
    return a.population - b.population


def extra_births(a: pd.DataFrame, b: pd.DataFrame) -> pd.Series:
    """Births in the year, A minus B (persons; already in the extra residents)."""
    return a.births - b.births


def extra_arrivals(a: pd.DataFrame, b: pd.DataFrame, kind: str | None = None) -> pd.Series:
    """Arrivals in the year (of one kind, with their dependants, if given), A minus B."""
    column = "in_migration" if kind is None else f"in_migration_{kind}"
    return a[column] - b[column]


def fewer_departures(a: pd.DataFrame, b: pd.DataFrame, kind: str | None = None) -> pd.Series:
    """Departures in the year (of one kind, if given), B minus A."""
    column = "out_migration" if kind is None else f"out_migration_{kind}"
    return b[column] - a[column]


def cost(a: pd.DataFrame, measure: str | None = None) -> pd.Series:
    """Fiscal cost in the year of all measures (or one) in one run (yuan)."""
    return a["cost_total" if measure is None else f"cost_{measure}"]


def net_cost(a: pd.DataFrame, b: pd.DataFrame, measure: str | None = None) -> pd.Series:
    """Fiscal cost in the year of all measures (or one), A minus B (yuan)."""
    return cost(a, measure) - cost(b, measure)


def cumulative(yearly: pd.Series) -> pd.Series:
    """Sum from the first year to each year (undiscounted)."""
    return yearly.cumsum()


def per_resident(cumulative_cost: pd.Series, residents: pd.Series) -> pd.Series:
    """Cost over residents; NaN where there are none (residents <= 0 or unknown)."""
    return cumulative_cost / residents.where(residents > 0)


def cost_per_additional_resident(a: pd.DataFrame, b: pd.DataFrame) -> pd.Series:
    """Cumulative net cost / extra residents: the difference in cost over the difference in residents."""
    return per_resident(cumulative(net_cost(a, b)), extra_residents(a, b))


def attributed(a: pd.DataFrame, b: pd.DataFrame, measure: str) -> pd.Series:
    """Extra residents attributed to one measure in the year: as A attributes them minus as B does."""
    column = f"attributed_{measure}"
    return a[column] - b[column]


def cost_per_attributed_resident(a: pd.DataFrame, b: pd.DataFrame, measure: str) -> pd.Series:
    """A measure's cumulative net cost / its cumulative attributed residents, A against B."""
    return per_resident(cumulative(net_cost(a, b, measure)), cumulative(attributed(a, b, measure)))


def extra_deaths(a: pd.DataFrame, b: pd.DataFrame) -> pd.Series:
    """Deaths in the year, A minus B (persons)."""
    return a.deaths - b.deaths


def extra_movers(a: pd.DataFrame, b: pd.DataFrame) -> pd.Series:
    """Extra arrivals plus fewer departures, cumulated: the extra residents who moved (persons)."""
    return cumulative(extra_arrivals(a, b) + fewer_departures(a, b))


def resident_years(stock: pd.Series, months: pd.Series) -> pd.Series:
    """Years lived by a stock in each year: the mean of its start (the previous year end, 0
    before the first) and its end, times the months simulated / 12 (person-years)."""
    return (stock.shift(1, fill_value=0.0) + stock) / 2 * months / 12


def discount_factors(years: pd.Index, rate: float | None = None, base: int | None = None) -> pd.Series:
    """(1 + rate)^-(year - base) for each year (a year counts whole); rate and base from finance.toml."""
    rate = social_discount_rate() if rate is None else rate
    base = discount_base_year() if base is None else base
    return pd.Series((1 + rate) ** -(np.asarray(years, dtype=float) - base), index=years)


def discounted(yearly: pd.Series, rate: float | None = None, base: int | None = None) -> pd.Series:
    """Sum from the first year to each year of the yearly figure times the discount factor."""
    return cumulative(yearly * discount_factors(yearly.index, rate, base))


def additional_resident_years(a: pd.DataFrame, b: pd.DataFrame) -> pd.Series:
    """Years lived by the extra residents, cumulated (person-years)."""
    return cumulative(resident_years(extra_residents(a, b), a.months))


def discounted_cost_per_additional_resident_year(
    a: pd.DataFrame, b: pd.DataFrame, rate: float | None = None, base: int | None = None
) -> pd.Series:
    """Discounted cumulative net cost / discounted additional resident-years (rate 0: undiscounted)."""
    years = resident_years(extra_residents(a, b), a.months)
    return per_resident(discounted(net_cost(a, b), rate, base), discounted(years, rate, base))


def discounted_cost_per_attributed_resident_year(
    a: pd.DataFrame, b: pd.DataFrame, measure: str, rate: float | None = None, base: int | None = None
) -> pd.Series:
    """A measure's discounted net cost / the discounted resident-years of its cumulative attributed residents."""
    years = resident_years(cumulative(attributed(a, b, measure)), a.months)
    return per_resident(discounted(net_cost(a, b, measure), rate, base), discounted(years, rate, base))


def _book(a: pd.DataFrame, figure: str, measure: str | None) -> pd.Series:
    """One figure of a run's books (``model.indicators.BOOKS``), of one measure or summed over all."""
    if measure is not None:
        return a[f"{figure}_{measure}"]
    return a[[f"{figure}_{mid}" for mid in MEASURES]].sum(axis=1, skipna=False)


def transfers(a: pd.DataFrame, measure: str | None = None) -> pd.Series:
    """Spending in the year paid to identified persons, of all measures (or one), in one run (yuan)."""
    return _book(a, "transfers", measure)


def deadweight(a: pd.DataFrame, measure: str | None = None) -> pd.Series:
    """Of those transfers, the yuan paid to persons who were in Baotou in the counterfactual that month."""
    return _book(a, "deadweight", measure)


def deadweight_share(a: pd.DataFrame, measure: str | None = None) -> pd.Series:
    """Cumulative deadweight / cumulative transfers (percent; NaN before any transfer)."""
    paid = cumulative(transfers(a, measure))
    return 100 * cumulative(deadweight(a, measure)) / paid.where(paid > 0)


def cost_text(a: pd.DataFrame, measure: str | None = None) -> pd.Series:
    """Spending in the year on amounts the text gives, of all measures (or one), in one run (yuan)."""
    return _book(a, "text_cost", measure)


def cost_assumed(a: pd.DataFrame, measure: str | None = None) -> pd.Series:
    """Spending in the year on assumed amounts, of all measures (or one), in one run (yuan)."""
    return _book(a, "assumed_cost", measure)


def assumed_share_of_net_cost(a: pd.DataFrame, b: pd.DataFrame) -> pd.Series:
    """Cumulative net cost on assumed amounts / cumulative net cost (percent; NaN unless it is positive)."""
    net = cumulative(net_cost(a, b))
    return 100 * cumulative(cost_assumed(a) - cost_assumed(b)) / net.where(net > 0)


def yearly(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Every effect of ``EFFECTS`` by year, for the wide tables of A and B (one seed each)."""
    out = {
        "extra_population": extra_residents(a, b),
        "extra_in_migration": extra_arrivals(a, b),
        "fewer_departures": fewer_departures(a, b),
        "extra_births": extra_births(a, b),
    }
    for k in KINDS:
        out[f"extra_in_migration_{k}"] = extra_arrivals(a, b, k)
        out[f"fewer_departures_{k}"] = fewer_departures(a, b, k)
    out["cost_total"] = cost(a)
    out["cumulative_cost_total"] = cumulative(cost(a))
    out["net_cost_total"] = net_cost(a, b)
    out["cumulative_net_cost_total"] = cumulative(net_cost(a, b))
    out["cost_per_additional_resident"] = cost_per_additional_resident(a, b)
    out["extra_movers"] = extra_movers(a, b)
    out["cumulative_extra_births"] = cumulative(extra_births(a, b))
    out["cumulative_extra_deaths"] = cumulative(extra_deaths(a, b))
    years = resident_years(extra_residents(a, b), a.months)
    out["additional_resident_years"] = cumulative(years)
    out["discounted_additional_resident_years"] = discounted(years)
    out["discounted_net_cost_total"] = discounted(net_cost(a, b))
    out["cost_per_additional_resident_year"] = per_resident(cumulative(net_cost(a, b)), cumulative(years))
    out["discounted_cost_per_additional_resident_year"] = discounted_cost_per_additional_resident_year(a, b)
    out["transfers_total"] = transfers(a)
    out["deadweight_total"] = deadweight(a)
    out["deadweight_share"] = deadweight_share(a)
    out["text_cost_total"] = cost_text(a)
    out["assumed_cost_total"] = cost_assumed(a)
    out["net_text_cost_total"] = cost_text(a) - cost_text(b)
    out["net_assumed_cost_total"] = cost_assumed(a) - cost_assumed(b)
    out["assumed_share_of_net_cost"] = assumed_share_of_net_cost(a, b)
    for mid in MEASURES:
        out[f"cost_{mid}"] = cost(a, mid)
        out[f"net_cost_{mid}"] = net_cost(a, b, mid)
        out[f"attributed_{mid}"] = attributed(a, b, mid)
        out[f"cost_per_additional_resident_{mid}"] = cost_per_attributed_resident(a, b, mid)
        out[f"discounted_net_cost_{mid}"] = discounted(net_cost(a, b, mid))
        out[f"discounted_cost_per_attributed_resident_year_{mid}"] = discounted_cost_per_attributed_resident_year(
            a, b, mid
        )
        out[f"text_cost_{mid}"] = cost_text(a, mid)
        out[f"assumed_cost_{mid}"] = cost_assumed(a, mid)
        out[f"net_assumed_cost_{mid}"] = cost_assumed(a, mid) - cost_assumed(b, mid)
        out[f"transfers_{mid}"] = transfers(a, mid)
        out[f"deadweight_{mid}"] = deadweight(a, mid)
        out[f"deadweight_share_{mid}"] = deadweight_share(a, mid)
    return pd.DataFrame(out, index=a.index)


def effects_for_seed(scenario: pd.DataFrame, against: pd.DataFrame) -> pd.DataFrame:
    """The effects for one seed from the two runs' long indicator rows: long rows ``year, indicator, value``."""
    out = yearly(wide(scenario), wide(against))
    return out.reset_index().melt(id_vars="year", var_name="indicator", value_name="value")
