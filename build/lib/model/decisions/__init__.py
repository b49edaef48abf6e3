"""Decisions: who considers a move, the nested logit, and the one decide step with its attribution to measures."""
