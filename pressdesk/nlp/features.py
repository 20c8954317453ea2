"""Text prepared once per article and shared by the place matcher and the classifiers."""

from __future__ import annotations

from dataclasses import dataclass

from pressdesk.nlp import lexicon
from pressdesk.nlp.text import normalize_text

# Classifiers read the title, the lead and the start of the body: the rest adds time, not accuracy.
BODY_CHARS = 800


@dataclass(frozen=True)
class Prepared:
    title: str
    lead: str
    body: str
    head: str  # lower-cased title + lead
    clf_text: str  # lower-cased title + lead + body start
    lex: lexicon.LexiconCounts


def split_text(text: str) -> tuple[str, str]:
    """An input with only "text": its first paragraph (or sentence) is the lead."""
    text = text.strip()
    if "\n" in text:
        lead, _, rest = text.partition("\n")
        return lead.strip(), rest.strip()
    dot = text.find(". ", 0, 400)
    if dot > 0:
        return text[: dot + 1], text[dot + 2 :]
    return "", text


def prepare(title: str, lead: str, body: str) -> Prepared:
    title, lead, body = normalize_text(title or ""), normalize_text(lead or ""), normalize_text(body or "")
    head = f"{title}. {lead}".lower()
    start = body[:BODY_CHARS].lower()
    return Prepared(title, lead, body, head, f"{head} {start}", lexicon.count(head, start))
