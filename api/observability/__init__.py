"""What the service tells its operators: request logs (`logs`), Prometheus metrics (`metrics`)
and OpenTelemetry traces (`tracing`)."""
