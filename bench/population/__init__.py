"""A synthetic national-scale population for benchmarks, loaded with PostgreSQL COPY
(`bench/generate`)."""
