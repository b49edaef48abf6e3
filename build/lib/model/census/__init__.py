"""The synthetic census population of 2020: IPF, integerisation, households."""
