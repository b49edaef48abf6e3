"""People: the columnar store, household look-ups, and people facing a decision."""
