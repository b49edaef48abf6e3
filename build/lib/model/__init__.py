"""baotou-inflow: an agent-based model of people coming to, staying in and leaving Baotou."""

__version__ = "0.1.0"
