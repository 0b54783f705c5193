"""Sijill: the GraphQL API of a national unified social registry."""

__version__ = "0.1.0"
