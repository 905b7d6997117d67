"""Guess who made a claim from the words around its quote.

Simple rules, enough to prefill the "Claimant" field: a quotation followed
by "X said" / "said X" / "X told ...", or preceded by "X said:", and
reported speech introduced by "X said (that)". A pronoun is no claimant, so
"he said" gives nothing; a person confirms or corrects the guess anyway.
"""

from __future__ import annotations

import re

OPENING = '"“«„'
CLOSING = '"”»“'
VERBS = r"(?:said|says|told|tells|added|adds|asked|warned|insisted|stated|declared|wrote)"
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "who"})
WINDOW = 120
# A character of the same sentence: a full stop that is not followed by a new
# sentence ("U.S. ambassador") belongs to it.
SAME = rf"(?:[^.!?:;{OPENING}{CLOSING}\n]|\.(?=\S|\s+[a-z]))"

QUOTATION = re.compile(rf"[{OPENING}][^{OPENING}{CLOSING}\n]*[{CLOSING}]")
# '," Putin said.' / '," outgoing ambassador Ivo Daalder said in ...' / '," the minister told ...'
FOLLOWED_BY_NAME_VERB = re.compile(rf"^[\s,]*({SAME}{{1,80}}?)\s+{VERBS}\b")
# '," said Putin.'
FOLLOWED_BY_VERB_NAME = re.compile(rf"^[\s,]*{VERBS}\s+([^.!?,;:{OPENING}{CLOSING}\n]{{1,60}})")
# 'Putin added: "' / 'the minister told reporters: "'
PRECEDED_BY = re.compile(rf"((?:(?!,){SAME}){{1,80}}?)\s+{VERBS}\b[^:{OPENING}]{{0,40}}?[:,]?\s*$")
# 'Obama said the two leaders ...' (reported speech, no quotation marks)
REPORTED = re.compile(rf"((?:(?!,){SAME}){{1,80}}?)\s+{VERBS}(?:\s+that)?\s*$")
WORD = re.compile(r"[\w.'\u2019-]+")


def _name(phrase: str) -> str:
    """The person named at the end of ``phrase``: its trailing run of
    capitalised words ("outgoing U.S. ambassador to NATO Ivo Daalder" gives
    "Ivo Daalder"), or a short common-noun phrase ("the minister")."""
    words = WORD.findall(phrase)
    if not words:
        return ""
    run: list[str] = []
    for word in reversed(words):
        letters = word.replace(".", "").replace("-", "").replace("'", "").replace("\u2019", "")
        # Acronyms (NATO, U.S.) usually qualify the name rather than belong to it.
        if word[0].isupper() and not (letters.isupper() and len(letters) > 1 and run):
            run.insert(0, word)
        else:
            break
    if run:
        name = " ".join(run)
        return "" if name.lower() in PRONOUNS else name
    lowered = [w.lower() for w in words]
    if len(words) <= 3 and lowered[0] == "the" and len(words) >= 2:
        phrase = " ".join(words)
        return phrase[0].upper() + phrase[1:]
    return ""


def guess_claimant(body: str, start: int, end: int) -> str:
    """Guess the claimant of the span ``start..end`` of ``body`` ("" when the
    words around it attribute it to nobody in particular)."""
    para_start = body.rfind("\n\n", 0, start)
    para_start = 0 if para_start == -1 else para_start + 2
    para_end = body.find("\n\n", end)
    para_end = len(body) if para_end == -1 else para_end
    paragraph = body[para_start:para_end]
    local_start, local_end = start - para_start, end - para_start

    for match in QUOTATION.finditer(paragraph):
        # The span lies within the quotation (or is it, marks included).
        if match.start() <= local_start + 1 and local_end - 1 <= match.end():
            after = paragraph[match.end() : match.end() + WINDOW]
            before = paragraph[max(0, match.start() - WINDOW) : match.start()]
            found = FOLLOWED_BY_NAME_VERB.match(after)
            if found and _name(found.group(1)):
                return _name(found.group(1))
            found = FOLLOWED_BY_VERB_NAME.match(after)
            if found and _name(found.group(1)):
                return _name(found.group(1))
            found = PRECEDED_BY.search(before)
            if found:
                return _name(found.group(1))
            return ""

    found = REPORTED.search(paragraph[max(0, local_start - WINDOW) : local_start])
    return _name(found.group(1)) if found else ""
