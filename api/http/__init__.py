"""The HTTP side of the service: the Starlette application and its GraphQL view (`app`), the
audited edge of every request (`edge`), body and header limits (`limits`, `requestbody`),
authentication (`auth`, `jwks`), rate limits (`ratelimit`), trusted documents and GraphiQL."""
