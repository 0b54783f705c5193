"""The GraphQL schema: strawberry types, inputs, enums, extensions and the Schema object."""
