"""Random draws that keep common random numbers: keyed draws, named streams, thinning."""
