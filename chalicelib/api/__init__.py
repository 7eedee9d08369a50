"""HTTP API: blueprints, request schemas, and the translation of errors."""
