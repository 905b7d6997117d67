"""The public site: what readers, crawlers and feed readers see of the
published fact-checks (queries, feeds, sitemaps). Views live in
``annotations.views.public``."""
