"""The note's shape: its outline of headed sections (``sections``) and its identity — unit,
year, kind, scope, region, the parts of a full note it covers (``identity``)."""
