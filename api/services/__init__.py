"""The registry's operations as plain async functions (no GraphQL here)."""
