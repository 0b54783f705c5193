"""The socio-economic index and program rules: pure functions over plain data, no I/O but
reading the packaged, versioned parameter files."""
