"""Thin resolvers: read the caller from the context, call a service, return domain objects."""
