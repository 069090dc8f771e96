"""Plumbing with no models of ours: the public page cache, CSV writing, request guards,
shared form widgets and the health check (healthchecks' ``hc/lib``)."""
