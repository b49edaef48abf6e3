"""The model written the idiomatic Mesa way: one ``mesa.Agent`` per person with its own ``step``,
stepped with ``shuffle_do``. Kept in ``benchmarks/`` only, as the yardstick for the columnar model.

Two modes, both starting from the columnar model's synthetic census population (same people,
same households):

- ``DemographyReference(scale, seed)`` (``demography.py``): the demography only (migration
  off), ``Person`` agents. Each month every person uses up their death exposure, women of
  childbearing age may give birth, babies join their mother's household, everyone ages a month.
  It uses the project's keyed draws, so it gives exactly the columnar model's numbers
  (``tests/test_mesa_reference.py``).
- ``MigrationReference(scale, seed)`` (``migration.py``): every stage of the baseline scenario
  (no measure on) with ``[run] migration = true``, ``Resident`` agents (the census people's
  attributes and households; their event clocks are fresh draws). Each person is an agent whose
  ``step`` (``residents.py``) applies, in plain Python, the rules of
  ``model/demography/events.py`` (deaths, births, ageing), ``model/stages/labour.py`` (jobs
  lost and found), ``model/stages/students.py`` (graduation with its stay-or-leave choice,
  local enrolment), ``model/decisions/`` and ``model/stages/departures.py`` (the consideration
  hazard of heads and adult children, the choice of ``decide``, leaving with the household)
  and ``model/stages/settlement.py`` (hukou, home purchase) to itself. Households are not
  agents: a ``Household`` is a plain list of its members, as in the project, where the head
  decides for the household. The model does what ``model/model.py`` and ``model/world/outside.py``
  do outside the people: this month's conditions, the outside world's pools, outside candidates
  and talent offers (drawn, weighed one by one; only those who come become agents), the student
  intake from outside, families joining later (``arrivals.py``), head replacement, the
  same-origin network counts (recent arrivals, each month). The nested logit of
  ``model/decisions/choice.py`` is written out per chooser (``choice.py``). Draws are Mesa's own
  (``self.random``), not the project's keyed draws: the two agree statistically, not draw for
  draw. What the baseline does not use is left out: measures'
  offers, deliveries and costs, the attribution of effects to measures, and chooser fields only
  measures read (couple, household size, young children, elders, provident-fund months).

The rules are written out again here, not called from the project, so that the reference stays
a second implementation. Every number comes from the project's parameters (the scenario's
``[behaviour]``, the data files, ``model/decisions/choice.py``'s tables, the monthly conditions), read
through ``project.py``, the only module that imports ``model``. Differences of order within a
month, because agents step one after another instead of stage by stage, are listed at
``MigrationReference.step``.

Timing, side by side with the project in one run (``runner.py``):
``PYTHONPATH=. python -m benchmarks.mesa_reference --mode migration --scale 0.005``.
"""

from .choice import Chooser
from .demography import DemographyReference
from .migration import MigrationReference
from .project import BAOTOU, scenario_for

__all__ = ["BAOTOU", "Chooser", "DemographyReference", "MigrationReference", "scenario_for"]
