"""Check kinds. The built-in ones are listed in pyproject.toml under `gate.kinds`,
the same entry-point group a third-party package uses for its own:

- field_nonempty: a response field is present and not blank
- json_schema: each response validates against a JSON Schema
- metric_exported: the live service exports a Prometheus metric of the right type
- prometheus_query: a PromQL query against production's Prometheus stays within a limit
"""
