"""The world outside the people: conditions (wages, rents, prices) and the outside candidates."""
