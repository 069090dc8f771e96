"""The public site: ward and borough pages, calendar feeds, posters, and the open-data API
(pretix's "presale" and "api")."""
