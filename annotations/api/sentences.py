"""The check-worthiness of an article's sentences, as the API answers it."""

from __future__ import annotations

from rest_framework import serializers

from annotations import checkworthiness


class SentenceSerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text="Code point offset of the first character.")
    end = serializers.IntegerField(help_text="Code point offset just past the last character.")
    text = serializers.CharField()
    score = serializers.FloatField(help_text="Check-worthiness from 0 to 1; higher is worthier.")
    reasons = serializers.ListField(
        child=serializers.CharField(),
        help_text="What raised or lowered the score, in words a person can read.",
    )


def article_sentences(body: str) -> list[dict[str, object]]:
    return [s.as_dict() for s in checkworthiness.article_sentences(body)]
