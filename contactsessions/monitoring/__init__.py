"""Monitoring: compliance, exemptions, outcomes and the DWO roster, for London, boroughs and wards."""
