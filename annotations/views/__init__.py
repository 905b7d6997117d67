"""Views, one module per topic: articles (list, reader, import), claims
(marking and editing), review (verdicts, evidence, workflow, queues) and
public (the read-only fact-check pages)."""
