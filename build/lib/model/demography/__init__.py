"""Demography: rate schedules, the monthly events (deaths, births, ageing) and the cohort-component projection."""
