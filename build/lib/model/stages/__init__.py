"""The stages of the month that move people: jobs, students, departures, arrivals, families, settling."""
