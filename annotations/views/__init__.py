"""Views, one module per topic: articles (list, reader, import), claims
(everything the claim panel posts), dashboard (the queues) and public (the
read-only fact-check pages). ``panel`` builds and renders the claim panel
for all of them; no view module imports another."""
