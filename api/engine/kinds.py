"""How a planned field is resolved."""

STRAWBERRY = "strawberry-definition"  # where strawberry keeps a field's definition

TYPENAME = 0  # __typename: the parent type's name
BASIC = 1  # an attribute of the object (strawberry's own resolver reads it)
DIRECT = 2  # a synchronous resolver that reads only its object: called as it is
RESOLVER = 3  # anything else: the field's GraphQL resolver, with its info and arguments
