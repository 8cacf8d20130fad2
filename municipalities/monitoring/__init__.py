"""The programme's monitoring: participation records, policies in force, reporting periods,
the three indicators, the coverage matrix, imports, exports and evidence.

Part of the `municipalities` app (same app label and migrations), built on the municipality
and its public documents; those never import it (see docs/architecture.md).
"""
