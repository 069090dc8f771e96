"""The back office: DWOs propose and record, Ward Panels comment, SNBs decide (pretix's "control")."""
