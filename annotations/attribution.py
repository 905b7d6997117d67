"""Who made a claim: the speaker the article attributes a span to, with the
words that attributed it.

One function, ``attribute``, serves every path (the reader, the API, the
evaluation). It reads the article the way a desk editor does:

1. It lists the people and organisations the article introduces, with the
   role it gives them ("Russian Foreign Ministry spokesman Alexander
   Lukashevich", "Jane Roe, the finance minister,").
2. It finds every speech frame: "X said", "said X", "X told ... that",
   "according to X", "X, adding that" (the speaker of the clause before), with
   quotation contents masked so that words inside a quote are never a frame.
3. For the span it picks the frame that owns it: the one attached to the
   quotation it sits in (after the closing mark or before the opening one),
   else the reported-speech frame of its sentence ("X said (that) ...",
   "..., X said."). Pronouns and role nouns ("he", "the minister") resolve to
   the nearest earlier named speaker; surnames to the full name and role.
4. Appositives ("Russia, a veto-wielding member of the UN Security Council,")
   and sentences without a frame are the reporter's own words: no claimant.

Rules, not a model: every answer carries the evidence that produced it, and a
person confirms or changes it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from annotations import sentences


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PERSON = "person"
ORGANISATION = "organisation"

VERBS = re.compile(
    r"\b(?:said|says|say|told|tells|added|adds|declared|declares|announced|announces|"
    r"stated|insisted|insists|warned|warns|claimed|claims|argued|argues|explained|"
    r"noted|responded|responds|replied|replies|wrote|writes|confirmed|confirms|asserted|"
    r"asserts|maintained|maintains|acknowledged|acknowledges|admitted|admits|predicted|"
    r"predicts|promised|promises|pledged|pledges|concluded|stressed|stresses|testified|"
    r"tweeted|boasted|boasts|contended|contends|countered|emphasi[sz]ed|"
    r"cautioned|conceded|concedes|recalled|vowed|vows|forecast|reported|estimated|"
    r"estimates|disputed|disputes|denied|denies|found|finds)\b"
)
PARTICIPLES = re.compile(
    r"\b(?:adding|saying|noting|insisting|arguing|warning|claiming|explaining|stressing|"
    r"declaring|stating)\b"
)
ACCORDING = re.compile(r"\b[Aa]ccording to\b")
# Parentheticals between a subject and its verb ("Putin, meanwhile, said").
ASIDE = re.compile(
    r",\s*(?:meanwhile|however|though|too|also|in turn|in a statement|in an interview|"
    r"for (?:his|her|its|their) part|on \w+day|last week|this week|earlier|"
    r"(?:speaking|writing|appearing|asked)\b[^,;:]{0,60})\s*,"
)
QUOTES = {"“": "”", "«": "»", "„": "“", '"': '"'}
TOKEN = re.compile(r"[A-Za-z][\w'\u2019\-]*(?:\.[A-Za-z][\w'\u2019\-]*)*\.?|[^\w\s]")

PRONOUNS = {"he": PERSON, "she": PERSON, "it": ORGANISATION}
SKIP_BEFORE_VERB = _words(
    "also has have had was were is would will later previously repeatedly again then once "
    "further earlier recently already publicly privately separately reportedly originally "
    "flatly not never first still just today yesterday subsequently initially"
)
ROLE_NOUNS = _words(
    "minister spokesman spokeswoman spokesperson ambassador president premier chancellor "
    "secretary senator governor mayor official chief director chairman chairwoman chair head "
    "leader commissioner economist analyst professor researcher scientist doctor officer "
    "general commander lawyer attorney judge prosecutor candidate lawmaker congressman "
    "congresswoman representative ceo executive founder manager coach activist campaigner "
    "diplomat envoy adviser advisor aide deputy inspector superintendent treasurer auditor "
    "councillor councilor mp spokesmen negotiator statistician chairperson owner constable "
    "sergeant teacher nurse"
)
ORG_NOUNS = _words(
    "ministry government company department agency council union bank police court "
    "commission office committee institute army military regulator authority watchdog board "
    "party firm campaign group federation association university hospital trust "
    "administration embassy kremlin pentagon force charity society"
)
UNNAMED = _words(
    "officials analysts experts critics sources residents witnesses economists scientists "
    "researchers people observers diplomats insiders supporters opponents campaigners "
    "activists locals doctors lawyers some many others"
)
ROLE_WORDS = _words(
    "outgoing former deputy acting chief senior junior foreign finance interior defence "
    "defense health education trade economy justice prime state press executive managing "
    "vice assistant associate lead head top incoming new local regional national federal "
    "city county party opposition government company ministry union police campaign "
    "communications environment energy transport housing treasury home labour labor "
    "agriculture industry science research public policy shadow then long-time longtime "
    "veteran"
)
TITLES = _words(
    "President Minister Prime Chancellor Senator Sen. Governor Gov. Mayor Secretary Dr Dr. "
    "Mr Mr. Mrs Mrs. Ms Ms. Professor Prof. General Gen. Judge Chief Executive Ambassador "
    "Spokesman Spokeswoman Director Chairman Chairwoman Commissioner Deputy Representative "
    "Rep. Pope King Queen Prince Sheikh Justice Inspector Detective Captain Colonel Premier "
    "Chair Superintendent Sir Dame Lord Lady Councillor Councilor Constable Sergeant "
    "Officer Alderman Speaker Lieutenant"
) | {noun.capitalize() for noun in ROLE_NOUNS}
ORG_WORDS = _words(
    "Ministry Department Office Council Bank Agency Union Party Commission Committee "
    "Institute University Court Police Service Authority Association Group Company "
    "Corporation Inc Inc. Ltd Ltd. Government Parliament Senate Congress Army Federation "
    "Fund Organisation Organization Board Bureau Foundation Trust Network News Times Post "
    "Kremlin Pentagon Treasury Commission Assembly Alliance Centre Center Institute "
    "Statistics Survey Forum Club Hospital Clinic Airlines Motors Energy Systems Labs "
    "Laboratory Cabinet Embassy Administration Authority"
)
PLACES = _words(
    "Russia Ukraine Syria Libya Iran Iraq Israel China Japan India Pakistan France Germany "
    "Italy Spain Portugal Britain England Scotland Wales Ireland Poland Greece Turkey Egypt "
    "Brazil Mexico Canada Australia America Europe Africa Asia Belgium Netherlands Sweden "
    "Norway Denmark Finland Austria Switzerland Hungary Romania Bulgaria Serbia Croatia "
    "Kenya Nigeria Ethiopia Argentina Chile Colombia Peru Venezuela Cuba Korea Vietnam "
    "Indonesia Thailand Qatar Saudi Lebanon Jordan Belarus Moscow Washington London Paris "
    "Berlin Beijing Brussels Tokyo Kyiv Kiev Geneva Ottawa Canberra Madrid Rome Lisbon"
)
COMPOUND_PLACES = frozenset(
    {
        "United States",
        "United Kingdom",
        "European Union",
        "United Nations",
        "White House",
        "Downing Street",
        "Northern Ireland",
        "South Korea",
        "North Korea",
        "Saudi Arabia",
        "New Zealand",
        "South Africa",
        "Security Council",
    }
)
NATIONALITIES = _words(
    "Russian American British French German Syrian Chinese Iranian Israeli Ukrainian "
    "Italian Spanish Japanese Indian Canadian Australian European Turkish Polish Dutch "
    "Belgian Swedish Irish Scottish Welsh English Mexican Brazilian Egyptian Greek "
    "Western Eastern Northern Southern U.S. US UK EU UN Republican Democrat Democratic "
    "Conservative Labour Liberal Socialist Independent"
)
CONNECTORS = _words("of for de van von der al bin la le du da")
STARTERS = _words(
    "The A An As In On At By For From With Without After Before During Earlier Later "
    "Speaking Looking Asked Meanwhile However But And Yet Still Since While When Where "
    "This That These Those It He She They We I You His Her Their Its Our Some Many Most "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December Today Yesterday Last Next "
    "If Although Though Because Despite Under Over Across Both Each Every No Not Even "
    "Only Also Instead Then Now Here There What Which Who Whether"
)
DETERMINERS = _words("the a an its his her their our")
GENERIC_ORGS = _words("group body organisation organization firm company union charity")


@dataclass(frozen=True)
class Attribution:
    """The answer: ``claimant`` as it goes into the field ("Name, role"),
    ``name`` and ``kind`` alone, ``evidence`` (the words that attributed it,
    as written) and a ``reason`` a person can read. An empty claimant comes
    with a reason too (narration, an appositive, a quote with no speaker)."""

    claimant: str = ""
    name: str = ""
    kind: str = ""
    evidence: str = ""
    reason: str = ""
    evidence_start: int | None = None
    evidence_end: int | None = None


@dataclass
class Entity:
    name: str
    kind: str
    role: str = ""

    @property
    def claimant(self) -> str:
        return f"{self.name}, {self.role}" if self.role else self.name


@dataclass
class Speaker:
    """A speaker phrase as written before (or after) a speech verb."""

    start: int
    end: int
    text: str
    how: str  # "name", "pronoun", "role", "org", "unnamed"
    entity: Entity | None = None


@dataclass
class Frame:
    start: int  # evidence start
    end: int  # evidence end
    verb_start: int
    verb_end: int
    how: str  # "subject", "inverted", "participle", "according"
    speaker: Speaker | None
    sentence: int
    entity: Entity | None = None
    via: str = ""
    evidence: str = ""


@dataclass
class Mention:
    start: int
    entity: Entity


@dataclass
class Analysis:
    body: str
    masked: str
    quotations: list[tuple[int, int]]
    appositives: list[tuple[int, int]]
    sentences: tuple[sentences.Sentence, ...]
    mentions: list[Mention] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    people: dict[str, Entity] = field(default_factory=dict)
    starts: list[int] = field(default_factory=list)


# --- tokens and names ------------------------------------------------------


def _parts(token: str) -> list[str]:
    """Split glued words the source ran together ("U.S.President",
    "RussianPresident") so that titles are seen."""
    pieces = re.split(r"(?<=\.)(?=[A-Z][a-z])", token)
    out: list[str] = []
    for piece in pieces:
        glued = re.match(r"^([A-Z][a-z]+)([A-Z][a-z]+)$", piece)
        if glued and glued.group(2) in TITLES:
            out.extend(glued.groups())
        else:
            out.append(piece)
    return out


def _tokens(text: str, offset: int) -> list[tuple[int, int, str]]:
    return [(m.start() + offset, m.end() + offset, m.group()) for m in TOKEN.finditer(text)]


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _acronym(word: str) -> bool:
    letters = word.replace(".", "")
    return len(letters) > 1 and letters.isupper()


def _tidy(text: str) -> str:
    text = re.sub(r"(?<=[a-z])(?=[A-Z][a-z])", " ", text)
    text = re.sub(r"(?<=\.)(?=[A-Z][a-z])", " ", text)
    return re.sub(r"\s+", " ", text).strip(" ,")


def _classify_run(words: list[str]) -> tuple[list[str], list[str], str]:
    """Split a run of capitalised words into (qualifiers, name, kind):
    "U.S. President Barack Obama" gives (["U.S.", "President"], ["Barack",
    "Obama"], person); "United States" gives ([], ["United", "States"], org)."""
    joined = " ".join(words)
    if joined in COMPOUND_PLACES or any(w in ORG_WORDS for w in words):
        return [], words, ORGANISATION
    cut = 0
    for i, word in enumerate(words):
        if word in TITLES or _acronym(word) or word in NATIONALITIES or word in PLACES:
            cut = i + 1
    qualifiers, name = words[:cut], words[cut:]
    if len(name) == 1 and qualifiers and all(_acronym(q) for q in qualifiers):
        return [], words, ORGANISATION  # "NHS Providers", "NFU Cymru"
    while name and name[0] in STARTERS:
        qualifiers, name = [*qualifiers, name[0]], name[1:]
    if not name:
        if len(words) == 1 and (words[0] in PLACES or _acronym(words[0])):
            return [], words, ORGANISATION
        if len(words) > 1 and words[-1] in PLACES | {"U.S.", "US", "UK", "EU", "UN", "NATO"}:
            return [], words[-1:], ORGANISATION
        return words, [], ""
    return qualifiers, name, PERSON


# --- analysis of a body (cached) ---------------------------------------------


def _quotations(body: str) -> list[tuple[int, int]]:
    """(opening mark, just past the closing mark) of each quotation; one left
    open runs to the end of its paragraph, as news style does."""
    found = []
    for paragraph in sentences.PARAGRAPH.finditer(body):
        i, end = paragraph.start(), paragraph.end()
        while i < end:
            closer = QUOTES.get(body[i])
            if closer is None:
                i += 1
                continue
            j = body.find(closer, i + 1, end)
            j = end if j == -1 else j + 1
            found.append((i, j))
            i = j
    return found


def _mask(body: str, quotations: list[tuple[int, int]]) -> str:
    chars = list(body)
    for start, end in quotations:
        for i in range(start + 1, max(start + 1, end - 1)):
            if chars[i] != "\n":
                chars[i] = "_"
    masked = "".join(chars)
    return ASIDE.sub(lambda m: " " * len(m.group()), masked)


APPOSITIVE = re.compile(
    r"(?<=[A-Za-z.]),\s+(?:(?:a|an|the|which|who|whose)\s+[^,;:.\"“”]{3,120}?,(?=\s+[a-z])"
    r"|(?:a|an)\s+[^,;:.\"“”]{3,120}?(?=\.(?:\s|$)))"
)


def _appositives(masked: str) -> list[tuple[int, int]]:
    """Background the reporter inserts after a name: 'Russia, a veto-wielding
    member of the UN Security Council, did not ...'. From the name before the
    comma to the closing comma."""
    found = []
    for match in APPOSITIVE.finditer(masked):
        lead = max(0, match.start() - 200)
        head = re.search(
            r"([A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*)*)\s*$", masked[lead : match.start()]
        )
        found.append((lead + head.start(1) if head else match.start(), match.end()))
    return found


def _role_before(
    tokens: list[tuple[int, int, str]], index: int, qualified: bool = False
) -> tuple[str, int]:
    """The role words written just before token ``index`` ("outgoing U.S.
    ambassador to NATO"), with the offset where they start; ``qualified``
    when the name's own run starts with a qualifier ("NATO Ivo Daalder")."""
    j = index - 1
    taken: list[tuple[int, int, str]] = []
    has_role = False
    while j >= 0:
        word = tokens[j][2]
        low = word.lower()
        if low in ROLE_NOUNS or low.rstrip("s") in ROLE_NOUNS:
            has_role = True
        elif not (
            _is_cap(word)
            or low in ROLE_WORDS
            or (low in {"to", "of", "for", "at"} and (taken or qualified))
        ):
            break
        if _is_cap(word) and any(p in TITLES for p in _parts(word)):
            has_role = True
        taken.insert(0, tokens[j])
        j -= 1
    while taken and (taken[0][2].lower() in {"to", "of", "for", "at"} or taken[0][2] in STARTERS):
        taken.pop(0)
    if not has_role or not taken:
        return "", tokens[index][0]
    return " ".join(t[2] for t in taken), taken[0][0]


def _role_after(body: str, end: int) -> str:
    """An appositive role after a name: 'Jane Roe, the finance minister,'."""
    match = re.match(
        r",\s+(?:the|a|an)\s+([^,;:.\"“”]{2,80}?)(?:,|\s+(?:said|told|says))", body[end:]
    )
    if not match:
        return ""
    words = match.group(1).split()
    if any(w.lower().rstrip("s") in ROLE_NOUNS or w.lower() in ROLE_NOUNS for w in words):
        return match.group(1)
    return ""


def _register(analysis: Analysis) -> None:
    """Find the people and organisations the article names, in order."""
    body = analysis.body
    people = analysis.people
    for sentence in analysis.sentences:
        tokens = _tokens(body[sentence.start : sentence.end], sentence.start)
        i = 0
        while i < len(tokens):
            if not _is_cap(tokens[i][2]) or not tokens[i][2][0].isalpha():
                i += 1
                continue
            j = i
            words: list[str] = []
            while j < len(tokens):
                word = tokens[j][2]
                if _is_cap(word) and word[0].isalpha():
                    if word.endswith(".") and "." not in word[:-1] and word not in TITLES:
                        word = word[:-1]
                    words.extend(_parts(word))
                elif (
                    word in CONNECTORS
                    and j + 1 < len(tokens)
                    and _is_cap(tokens[j + 1][2])
                    and words
                ):
                    words.append(word)
                else:
                    break
                j += 1
            qualifiers, name, kind = _classify_run(words)
            if kind == PERSON:
                known = _known_person(people, name)
                if known is None and (len(name) >= 2 or qualifiers):
                    role, _ = _role_before(tokens, i, qualified=bool(qualifiers))
                    title = " ".join(q for q in qualifiers if q not in STARTERS)
                    role = role or _role_after(body, tokens[j - 1][1]) or title
                    if role and title and title not in role:
                        role = f"{role} {title}"
                    known = Entity(" ".join(name), PERSON, _tidy(role))
                    people[" ".join(name)] = known
                if known is not None:
                    analysis.mentions.append(Mention(tokens[i][0], known))
            elif kind == ORGANISATION:
                analysis.mentions.append(Mention(tokens[i][0], Entity(" ".join(name), kind)))
            i = max(j, i + 1)


def _known_person(people: dict[str, Entity], name: list[str]) -> Entity | None:
    if not name:
        return None
    full = " ".join(name)
    if full in people:
        return people[full]
    for entity in people.values():
        parts = entity.name.split()
        if len(name) == 1 and parts[-1] == name[0]:
            return entity
        if len(name) > 1 and parts[-1] == name[-1] and parts[0] == name[0]:
            return entity
    return None


def _speaker_before(analysis: Analysis, lo: int, verb_start: int) -> Speaker | None:
    tokens = _tokens(analysis.masked[lo:verb_start], lo)
    while tokens and tokens[-1][2].lower() in SKIP_BEFORE_VERB:
        tokens.pop()
    if not tokens:
        return None
    start, end, word = tokens[-1]
    low = word.lower()
    if low in PRONOUNS or low in {"they", "we", "i", "you"}:
        return Speaker(start, end, word, "pronoun")
    if low in UNNAMED:
        first = len(tokens) - 1
        while first > 0 and tokens[first - 1][2].lower() in ROLE_WORDS | {"some", "many"}:
            first -= 1
        return Speaker(tokens[first][0], end, analysis.body[tokens[first][0] : end], "unnamed")
    if _is_cap(word) and word[0].isalpha():
        first = len(tokens) - 1
        while first > 0:
            prev = tokens[first - 1][2]
            if (_is_cap(prev) and prev[0].isalpha()) or (
                prev in CONNECTORS and _is_cap(tokens[first][2])
            ):
                first -= 1
            else:
                break
        while first < len(tokens) - 1 and tokens[first][2] in CONNECTORS:
            first += 1
        while first < len(tokens) - 2 and (
            _acronym(tokens[first][2]) or tokens[first][2] in NATIONALITIES | PLACES | STARTERS
        ):
            first += 1
        text_start = tokens[first][0]
        head = first
        if first > 0 and tokens[first - 1][2].lower() == "the":
            text_start = tokens[first - 1][0]
            head = first - 1
        if head > 0 and tokens[head - 1][2].lower() in {"in", "near", "from", "outside"}:
            return None  # "a teacher at a school in Bradford": a place
        return Speaker(text_start, end, analysis.body[text_start:end], "name")
    if low in ROLE_NOUNS or low in ORG_NOUNS:
        first = len(tokens) - 1
        # Back to the determiner: "the national statistics agency", "the
        # mayor's office"; without one only role words qualify the noun.
        limit = max(0, first - 5)
        determined = next(
            (k for k in range(first - 1, limit - 1, -1) if tokens[k][2].lower() in DETERMINERS),
            None,
        )
        if determined is not None and all(
            tokens[k][2][0].isalpha() for k in range(determined, first)
        ):
            first = determined
        while determined is None and first > 0:
            prev = tokens[first - 1][2]
            if _is_cap(prev) or prev.lower() in ROLE_WORDS or prev.lower() in ROLE_NOUNS:
                first -= 1
            else:
                break
        how = "role" if low in ROLE_NOUNS else "org"
        return Speaker(tokens[first][0], end, analysis.body[tokens[first][0] : end], how)
    return None


SEGMENT_SKIP = re.compile(r"^\s*(?:who|which|whose|where|a|an|the|its|his|her|their)\b")


def _speaker_across_commas(analysis: Analysis, lo: int, comma: int) -> Speaker | None:
    """The subject of 'NAME, the union's secretary, said' or 'The landowner,
    Severn Estates, said': step back over comma-enclosed segments (at most
    two), skipping relative clauses and role appositives, to a name."""
    masked = analysis.masked
    end = comma
    for _ in range(3):
        begin = masked.rfind(",", lo, end)
        segment_start = lo if begin == -1 else begin + 1
        segment = masked[segment_start:end]
        if not segment.strip() or re.search(r"[;:_\"“”]", segment):
            return None
        speaker = None
        if not SEGMENT_SKIP.match(segment):
            speaker = _speaker_before(analysis, segment_start, end)
        elif begin == -1 or not re.match(r"^\s*(?:who|which|whose|where)\b", segment):
            # "The agency's chief executive, Colin Hartley, told": the name
            # follows its role; a role alone is the speaker's description.
            speaker = _speaker_before(analysis, segment_start, end)
            if speaker is not None and speaker.how != "role":
                speaker = None
        if speaker is not None and speaker.how in {"name", "role", "org"}:
            return speaker
        if begin == -1:
            return None
        end = begin
    return None


def _according_to(analysis: Analysis, start: int, limit: int) -> Speaker | None:
    """'according to figures from the lettings site Homefinder' names
    Homefinder: the last capitalised run of the clause, else its role or
    organisation noun, else a name in the appositive that follows."""
    masked = analysis.masked
    stop = re.search(r"[,;:.!?](?:\s|$)|\s[-—\u2013]\s", masked[start:limit])
    clause_end = start + stop.start() if stop else limit
    runs = list(
        re.finditer(
            r"[A-Z][\w'\u2019-]*(?:\.[A-Za-z]+)*\.?(?:\s+(?:of|for|de|van)?\s*[A-Z][\w'\u2019-]*)*",
            masked[start:clause_end],
        )
    )
    if runs:
        run = runs[-1]
        text = run.group().rstrip(".")
        if text.endswith(("'s", "\u2019s")):
            text = text[:-2]
        s = start + run.start()
        return Speaker(s, s + len(text), text, "name")
    owner = re.search(r"\b([a-z]+)['\u2019]s\b", masked[start:clause_end])
    if owner and owner.group(1) in ORG_NOUNS | ROLE_NOUNS:  # "the authority's own figures"
        s = start + owner.start(1)
        how = "org" if owner.group(1) in ORG_NOUNS else "role"
        return Speaker(s, s + len(owner.group(1)), owner.group(1), how)
    words = masked[start:clause_end].split()
    if words:
        appositive = re.match(
            r",\s+([A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)+),", masked[clause_end:limit]
        )
        if appositive:
            s = clause_end + appositive.start(1)
            return Speaker(s, clause_end + appositive.end(1), appositive.group(1), "name")
        head = words[-1].lower()
        if head in ROLE_NOUNS or head in ORG_NOUNS:
            s = start + len(masked[start:clause_end]) - len(masked[start:clause_end].lstrip())
            text = masked[s:clause_end].strip()
            return Speaker(s, s + len(text), text, "role" if head in ROLE_NOUNS else "org")
    return None


def _speaker_after(analysis: Analysis, start: int, limit: int) -> Speaker | None:
    match = re.match(
        r"\s+((?:the\s+|a\s+)?(?:[A-Z][\w.'\u2019-]*|[a-z][\w'\u2019-]*)(?:\s+(?:[A-Z][\w.'\u2019-]*|of|for|to"
        r"|[a-z][\w'\u2019-]*(?=\s+[A-Z])))*(?:\s+[a-z]+)?)",
        analysis.masked[start:limit],
    )
    if not match:
        return None
    words = match.group(1).split()
    # 'said Putin.' / 'said the minister' / 'said Jane Roe, the minister'
    kept: list[str] = []
    for word in words:
        if kept and not (_is_cap(word) or word in CONNECTORS) and word.lower() not in ROLE_NOUNS:
            break
        kept.append(word)
    if not kept:
        return None
    if kept[-1].endswith(".") and not _acronym(kept[-1]):
        kept[-1] = kept[-1][:-1]
    text = " ".join(kept)
    s = start + match.start(1)
    named = re.match(
        r",\s+([A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)+)",
        analysis.masked[s + len(text) : limit],
    )
    if named and not _is_cap(kept[-1]):  # 'said its chair, Tomasz Wierzbicki'
        at = s + len(text) + named.start(1)
        return Speaker(at, at + len(named.group(1)), named.group(1), "name")
    last = kept[-1].lower()
    if kept[-1].lower() in PRONOUNS:
        return Speaker(s, s + len(text), text, "pronoun")
    if _is_cap(kept[-1]):
        return Speaker(s, s + len(text), text, "name")
    if last in ROLE_NOUNS:
        return Speaker(s, s + len(text), text, "role")
    if last in ORG_NOUNS:
        return Speaker(s, s + len(text), text, "org")
    return None


def _nearest(analysis: Analysis, before: int, test) -> Entity | None:
    """The latest speaker before ``before`` that passes ``test``, else the
    latest mention that does."""
    for frame in reversed(analysis.frames):
        if frame.start < before and frame.entity is not None and test(frame.entity):
            return frame.entity
    for mention in reversed(analysis.mentions):
        if mention.start < before and test(mention.entity):
            return mention.entity
    return None


def _resolve(analysis: Analysis, speaker: Speaker) -> tuple[Entity | None, str]:
    text = speaker.text
    if speaker.how == "pronoun":
        kind = PRONOUNS.get(text.lower())
        if kind is None:
            return None, ""
        if kind == PERSON:
            # The person last named before the pronoun: people the article
            # introduced, not one-word names it happened to quote.
            known = set(map(id, analysis.people.values()))
            candidates = [
                (m.start, m.entity)
                for m in analysis.mentions
                if m.start < speaker.start and id(m.entity) in known
            ] + [
                (f.start, f.entity)
                for f in analysis.frames
                if f.start < speaker.start and f.entity and f.entity.kind == PERSON
            ]
            entity = max(candidates, key=lambda c: c[0])[1] if candidates else None
        else:
            entity = _nearest(analysis, speaker.start, lambda e: e.kind == kind)
        return entity, f"“{text}” is {entity.name}, named earlier" if entity else ""
    if speaker.how == "unnamed":
        return None, ""
    if speaker.how == "role" and text.split()[0].lower() in {"a", "an"}:
        # "A Vortex spokesman", "a Home Office spokeswoman": the
        # organisation speaks; an unqualified "a spokesman" is nobody named.
        caps = [w for w in text.split()[1:] if _is_cap(w)]
        if not caps:
            return None, ""
        named = " ".join(caps)
        entity = _nearest(
            analysis, speaker.start, lambda e: e.kind == ORGANISATION and named in e.name
        )
        return entity or Entity(named, ORGANISATION), ""
    if speaker.how == "role":
        words = [w for w in text.split() if w.lower() not in DETERMINERS]
        head = words[-1].lower()
        mods = {w.lower() for w in words[:-1]}

        def fits(entity: Entity) -> bool:
            role = entity.role.lower()
            return entity.kind == PERSON and head in role and all(m in role for m in mods)

        entity = _nearest(analysis, speaker.start, fits)
        if entity is not None:
            return entity, f"“{text}” is {entity.name}, named earlier"
        label = text[0].upper() + text[1:]
        return Entity(label, PERSON), ""
    if speaker.how == "org":
        words = text.split()
        head = words[-1].lower()
        caps = [w for w in words if _is_cap(w) and w.lower() not in DETERMINERS]
        if caps and caps[-1].endswith(("'s", "\u2019s")):  # "Hollis's campaign"
            return Entity(
                " ".join(w for w in words if w.lower() not in DETERMINERS), ORGANISATION
            ), ""
        if caps:  # "The United Metalworkers union"
            return Entity(" ".join(caps), ORGANISATION), ""
        if len(words) > 2 or (len(words) == 2 and words[0].lower() not in DETERMINERS):
            # "the national statistics agency", "the mayor's office"
            name = " ".join(w for w in words if w.lower() not in DETERMINERS)
            return Entity(name, ORGANISATION), ""
        entity = _nearest(
            analysis,
            speaker.start,
            lambda e: e.kind == ORGANISATION and head in e.name.lower(),
        )
        if entity is None and head in GENERIC_ORGS:
            entity = _nearest(analysis, speaker.start, lambda e: e.kind == ORGANISATION)
        if entity is not None:
            return entity, f"“{text}” is {entity.name}, named earlier"
        return None, ""
    words: list[str] = []
    for word in text.split():
        words.extend(_parts(word))
    while words and not _is_cap(words[0]):  # "federation chairman Neil Harper"
        words = words[1:]
    qualifiers, name, kind = _classify_run(words)
    if kind == PERSON:
        known = _known_person(analysis.people, name)
        if known is not None:
            return known, ""
        role = " ".join(q for q in qualifiers if q not in STARTERS)
        return Entity(" ".join(name), PERSON, _tidy(role)), ""
    if kind == ORGANISATION:
        return Entity(" ".join(name), ORGANISATION), ""
    return None, ""


def _find_frames(analysis: Analysis) -> None:
    masked = analysis.masked
    for number, sentence in enumerate(analysis.sentences):
        lo, hi = sentence.start, sentence.end
        found: list[Frame] = []
        for match in VERBS.finditer(masked, lo, hi):
            clause = max(
                masked.rfind(ch, lo, match.start()) for ch in ',;:(—\u2013"“”«»_'
            )  # the speaker stands in the verb's own clause
            clause = lo if clause < lo else clause + 1
            speaker = _speaker_before(analysis, clause, match.start())
            how = "subject"
            before = masked[lo : match.start()].rstrip()
            if speaker is None and before.endswith(","):
                speaker = _speaker_across_commas(analysis, lo, len(before) + lo - 1)
            if speaker is None and (before.endswith(("”", '"', "»", ",”", ',"')) or not before):
                speaker = _speaker_after(analysis, match.end(), hi)
                how = "inverted"
            if speaker is None:
                continue
            start = min(speaker.start, match.start())
            end = max(speaker.end, match.end())
            found.append(Frame(start, end, match.start(), match.end(), how, speaker, number))
        for match in PARTICIPLES.finditer(masked, lo, hi):
            if masked[lo : match.start()].rstrip().endswith(","):
                found.append(
                    Frame(
                        match.start(),
                        match.end(),
                        match.start(),
                        match.end(),
                        "participle",
                        None,
                        number,
                    )
                )
        for match in ACCORDING.finditer(masked, lo, hi):
            speaker = _according_to(analysis, match.end(), hi)
            if speaker is not None:
                found.append(
                    Frame(
                        match.start(),
                        speaker.end,
                        match.start(),
                        match.end(),
                        "according",
                        speaker,
                        number,
                    )
                )
        found.sort(key=lambda f: f.verb_start)
        for frame in found:
            if frame.how == "participle":
                main = [f for f in found if f.verb_start < frame.verb_start and f.entity]
                if main:
                    frame.entity = main[-1].entity
                    frame.via = main[-1].via
                    frame.start = main[-1].start
                    frame.evidence = (
                        f"{analysis.body[main[-1].start : main[-1].end]} … "
                        f"{analysis.body[frame.verb_start : frame.verb_end]}"
                    )
            else:
                frame.entity, frame.via = _resolve(analysis, frame.speaker)
            analysis.frames.append(frame)


@lru_cache(maxsize=32)
def analyse(body: str) -> Analysis:
    """Everything the rules read off ``body`` once: its quotations,
    appositives, sentences, the people and organisations it introduces and
    every speech frame. Cached per body, so scoring every sentence or
    guessing many claimants costs one analysis."""
    quotations = _quotations(body)
    masked = _mask(body, quotations)
    analysis = Analysis(
        body=body,
        masked=masked,
        quotations=quotations,
        appositives=_appositives(masked),
        sentences=sentences.split(body),
    )
    analysis.starts = [s.start for s in analysis.sentences]
    _register(analysis)
    _find_frames(analysis)
    return analysis


def _sentence_number(analysis: Analysis, sentence: sentences.Sentence) -> int:
    return bisect.bisect_left(analysis.starts, sentence.start)


# --- the answer --------------------------------------------------------------


def _answer(analysis: Analysis, frame: Frame, how: str) -> Attribution:
    entity = frame.entity
    evidence = frame.evidence or analysis.body[frame.start : frame.end]
    if entity is None:
        reason = "an unnamed source" if frame.speaker and frame.speaker.how == "unnamed" else ""
        return Attribution(
            evidence=evidence,
            reason=reason or "the speaker is not named",
            evidence_start=frame.start,
            evidence_end=frame.end,
        )
    reason = how
    if frame.via:
        reason = f"{how}; {frame.via}".strip("; ")
    return Attribution(
        claimant=entity.claimant,
        name=entity.name,
        kind=entity.kind,
        evidence=evidence,
        reason=reason,
        evidence_start=frame.start,
        evidence_end=frame.end,
    )


def _quote_frame(analysis: Analysis, quote: tuple[int, int]) -> Frame | None:
    """The frame of the quotation's own sentence: right after the closing
    mark (only role words between), else right before the opening one."""
    body, masked = analysis.body, analysis.masked
    open_at, close_end = quote
    closing = sentences.containing(body, close_end - 1)
    last = _sentence_number(analysis, closing) if closing else -1
    after = [
        f
        for f in analysis.frames
        if f.start >= close_end
        and f.sentence == last
        and f.how in {"subject", "inverted", "according"}
        and re.fullmatch(r"[^!?\"“”«»_;:]{0,100}", masked[close_end : f.start])
    ]
    if after:
        return after[0]
    opening = sentences.containing(body, open_at)
    first = _sentence_number(analysis, opening) if opening else -1
    before = [
        f
        for f in analysis.frames
        if f.end <= open_at
        and f.sentence == first
        and f.how != "participle"
        and re.fullmatch(r"[^.!?\"“”_]{0,80}?[:,]?\s*", masked[f.end : open_at])
    ]
    return before[-1] if before else None


def attribute(body: str, start: int, end: int) -> Attribution:
    """Who the article says made the claim at ``body[start:end]``, with the
    words that say so. Offsets are code points; surrounding white space is
    ignored. An empty ``claimant`` means the reporter's own words."""
    if not 0 <= start < end <= len(body):
        return Attribution(reason="no text selected")
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if start == end:
        return Attribution(reason="no text selected")
    analysis = analyse(body)

    for a_start, a_end in analysis.appositives:
        if a_start <= start and end <= a_end:
            return Attribution(reason="background the reporter adds (an appositive)")

    for quote in analysis.quotations:
        if quote[0] <= start and end <= quote[1]:
            frame = _quote_frame(analysis, quote)
            if frame is None:
                frame = _continued(analysis, quote)
                if frame is not None:
                    return _answer(analysis, frame, "continues the quotation")
                return Attribution(reason="a quotation with no speaker named")
            return _answer(analysis, frame, "quotation")

    sentence = sentences.containing(body, start)
    if sentence is None:
        return Attribution(reason="narration")
    number = _sentence_number(analysis, sentence)
    frames = [f for f in analysis.frames if f.sentence == number]
    according = [f for f in frames if f.how == "according" and not start <= f.start < end]
    if according:
        return _answer(analysis, according[0], "according to")
    leading = [f for f in frames if f.verb_end <= start and f.how != "according"]
    inside = [f for f in frames if start <= f.verb_start and f.verb_end <= end]
    if leading:
        frame = leading[-1]
        between = analysis.masked[frame.verb_end : start]
        if not re.search(r"[.!?]\s", between):
            return _answer(analysis, frame, "reported speech")
    if inside:
        return _answer(analysis, inside[0], "reported speech")
    trailing = [
        f
        for f in frames
        if f.start >= end
        and f.how in {"subject", "inverted"}
        and re.fullmatch(
            r"[^.;:!?]{0,200}?,\s*(?:[a-z][\w'\u2019-]*\s+){0,3}", analysis.masked[end : f.start]
        )
    ]
    if trailing:
        return _answer(analysis, trailing[0], "reported speech")
    return Attribution(reason="narration: no speaker in this sentence")


def _continued(analysis: Analysis, quote: tuple[int, int]) -> Frame | None:
    """A paragraph that opens with a quotation and names nobody continues the
    previous paragraph's quotation, as news style does."""
    body = analysis.body
    open_at, close_end = quote
    closing = sentences.containing(body, close_end - 1)
    if closing and VERBS.search(analysis.masked, close_end, closing.end):
        return None  # attributed, to someone the rules cannot name
    previous = [f for f in analysis.frames if f.end < open_at and f.entity is not None]
    if not previous:
        return None
    last = previous[-1]
    paragraphs_between = body.count("\n\n", last.end, open_at)
    if paragraphs_between == 0:
        # '"X," she said. "Y."': a bare quotation after the speaker's own.
        return last if last.how != "according" else None
    if paragraphs_between == 1 and (open_at == 0 or body[open_at - 1] == "\n"):
        return last
    return None


def guess_claimant(body: str, start: int, end: int) -> str:
    """The claimant field's guess for ``body[start:end]`` ("" for nobody)."""
    return attribute(body, start, end).claimant
