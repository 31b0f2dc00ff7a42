"""From raw text to a normalised question, and from phrases to comparable word tuples.

Hostile input is rejected here, before any pattern runs: the length is bounded first so
every later step works on at most `MAX_CHARS` characters.
"""

from __future__ import annotations

import re
import unicodedata

from bot.i18n.messages import Reason
from bot.parser._types import UnreadableError

__all__ = [
    "MARK",
    "MAX_CHARS",
    "MAX_WORDS",
    "clean",
    "from_slack",
    "shorten",
    "singular",
    "words",
    "words_of",
]

MAX_CHARS = 300
MAX_WORDS = 40
SHORT = 40

# Stands for a period or comparison already read; users cannot type it (private use).
MARK = "\ue000"

_ALLOWED_PUNCTUATION = frozenset("?!.,:;'\"-–—/>=()&+%×→⇒←↑↓’‘“”#@*_$€£¥฿₫")
_LAYOUT_CONTROLS = frozenset("\t\n\r")
_STAGE_WORD = r"visitors?|leads?|mqls?|sqls?|opps?|opportunit(?:y|ies)|customers?|trials?|won|paid"
_CONTRACTIONS = (
    (re.compile(r"\blst\b"), "last"),
    (re.compile(r"\bprev\b"), "previous"),
    (re.compile(r"\b(?:yday|yest)\b"), "yesterday"),
    (re.compile(r"\btmrw\b"), "tomorrow"),
    (re.compile(r"\b(?:wat|wut|whta|wht)\b"), "what"),
    (re.compile(r"\byrs?\b"), "year"),
    (re.compile(r"\bmktg\b"), "marketing"),
    (re.compile(r"\bconv\b"), "conversion"),
    (re.compile(r"\bcvr\b"), "conversion rate"),
    (re.compile(r"\bsegs?\b"), "segment"),
    (re.compile(r"\bch\b"), "channel"),
    (re.compile(r"\bact rate\b"), "activation rate"),
    (re.compile(r"\brt\b"), "rate"),
    (re.compile(r"\bvel\b"), "velocity"),
    (re.compile(r"\bpb\b"), "payback"),
    (re.compile(r"\bcust\b"), "customers"),
    (re.compile(r"\bcmp\b"), "comparison"),
    (re.compile(r"\bhw\b"), "how"),
    (re.compile(r"\byeer\b"), "year"),
    (re.compile(r"\bcan u\b"), "can you"),
    (re.compile(r"\bppl\b"), "people"),
    (re.compile(r"\bpaying plans?\b|\bpaid plans?\b"), "paid"),
    (re.compile(r"\bthis fy\b"), "this year"),
    (re.compile(r"\bq([1-4]) fy ?'?(\d\d)\b"), r"q\1 20\2"),
    (re.compile(r"\bhalf of the year\b"), "half"),
    (re.compile(r"\bchanel(s?)\b"), r"channel\1"),
    # "ads google" (Thai and Vietnamese word order) is google ads
    (re.compile(r"\bads (google|bing|facebook|fb|meta|linkedin|instagram)\b"), r"\1 ads"),
    (re.compile(r"\bdrop\b(?![- ](?:off|table|database|schema)\b)"), "dropped"),
    (re.compile(r"\s*=\s*\?"), " definition?"),  # "quick ratio = ?"
    # "are we gonna get", "is mrr going to": asks about the future ("i'm gonna need" does not)
    (re.compile(r"\b((?:are|is) (?:\S+ ){0,3}?)(?:gonna|going to)\b"), r"\1will"),
    (re.compile(r"\b(?:not counting|leaving out|apart from|excl\.?)(?=\s)"), "excluding"),
    # "what's the difference between mqls and sqls": the first told apart from the second
    (
        re.compile(r"\b(?:what(?:'s| is) )?(?:the )?difference between (\S+(?: \S+)?) and\b"),
        r"explain \1 different from",
    ),
    # "how long take for close a deal in average": the sales cycle, however it is put
    (
        re.compile(
            r"\bhow long (?:does it |do we |do they |do deals |does a deal )?"
            r"(?:usually |typically |normally )?takes? (?:for|to) close(?: a deal| deals)?\b"
        ),
        "sales cycle",
    ),
    (re.compile(r"\bin average\b"), "on average"),
    # "how the nps is moving": how it moved over time
    (
        re.compile(r"\bhow (?:the )?(\S+(?: \S+)?) (?:is|are|has been|have been) moving\b"),
        r"trend \1",
    ),
    # "last 8 weeks (not counting this week)": complete weeks leave the current one out anyway
    (
        re.compile(
            r"\b(last \d+ (week|month|quarter)s?),? \(?(?:excluding|not counting|without|except)"
            r" (?:the )?(?:current|this) \2\)?"
        ),
        r"\1",
    ),
    # "ytd vs ly", "the year last", "rate of win": shorthand and word order of other languages
    (re.compile(r"\b(vs\.?|versus|than) ly\b"), r"\1 last year"),
    (re.compile(r"\bthe (week|month|quarter|year) last\b"), r"last \1"),
    (re.compile(r"\brate of win\b"), "win rate"),
    # "comparing with the week before", "compared against": a comparison
    (re.compile(r"\bcompar(?:ing (?:it )?(?:against|to|with)|ed against)\b"), "compared to"),
    # "the last 6 weeks (complete weeks only)", "trailing 3 full months": complete units
    (re.compile(r"\(?\b(?:complete|full|whole) (?:weeks|months|quarters) only\b\)?"), ""),
    (re.compile(r"\b(last|past|trailing|previous) (\d+) (?:full|complete|whole) "), r"\1 \2 "),
    # "(marketing plus sales)", "(count of new opportunities)": a definition said in passing
    (
        re.compile(
            r"\([^()]*\b(?:plus|minus|divided|as a share|share of|count of|i\.e|aka|"
            r"meaning)\b[^()]*\)"
        ),
        "",
    ),
    # "with both paid channels excluded": those left out
    (re.compile(r"\bwith (?:both |all )?(?:the )?([\w ]{1,30}?) excluded\b"), r"excluding \1"),
    # "of the people who start a free trial, how many get set up": the share of them
    (
        re.compile(
            r"(?:^|(?<=[.;:!?] ))((?:out )?of (?:the |all the |our )[^,?.]{1,60}?), how many\b"
        ),
        r"\1, what share",
    ),
    # "the funnel leaking between sql and opp": from one stage to the other
    (
        re.compile(
            r"\b(?:(?:is )?(?:the |our )?funnel (?:is )?)?(?:leaking|leaks|leak|"
            r"dropping off|drops off) between\b"
        ),
        "conversion between",
    ),
    (re.compile(rf"\bbetween ({_STAGE_WORD}) and ({_STAGE_WORD})\b"), r"\1 to \2"),
    (re.compile(r"\bloose\b"), "lose"),
    # "is nrr better or worse than in Q2?": compared with that period
    (
        re.compile(
            r"\bthan (?:in |during |for )?(?=(?:q[1-4]|h[12]|(?:jan|feb|mar|apr|may|jun|jul|aug|"
            r"sep|oct|nov|dec)[a-z]*|20\d\d)\b)"
        ),
        "vs ",
    ),
    # "cac for everyone but enterprise": all the others
    (
        re.compile(
            r"\b(?:for )?(?:every(?:one|body|thing)|all(?: (?:channels|segments))?)"
            r" (?:but|except|other than|besides)\b"
        ),
        "excluding",
    ),
    # "spending more on ads", "burn on advertising": what ads cost, every channel together
    (
        re.compile(
            r"\b(?:spend|spending|spent|burn|burned|burnt|burning)(?: (?:more|less))?"
            r" on (?:the )?(?:paid )?(?:ads|advertising|advertisements)\b"
        ),
        "ad spend",
    ),
    (re.compile(r"\b(?:in )?\d+ ?(?:mins?|minutes?|hours?|hrs?)\b"), ""),
    # "is ltv to cac above 3x", "is churn above 5%", "did we get more than 500 leads", "over
    # $50k": a question about a threshold is answered with the figure, which shows where it
    # stands
    (
        re.compile(
            r"\b(?:above|below|under|over|more than|less than|fewer than|at least|at most|"
            r"(?:go|goes|went|gone) (?:over|above|below|under)|"
            r"(?:drop|dropped|fall|fell|dip|dipped) (?:below|under)|hit|reach|reached|exceed|"
            r"exceeded|cross|crossed)\s+(?!20[1-3]\d\b)[$€£¥฿₫]?\d[\d,]*(?:\.\d+)?\s*"
            r"(?:k|m|mn|million|thousand|bn|x|:1)?\s*(?:%|percent)?"
            r"(?!\s*(?:days?|weeks?|months?|quarters?|years?)\b)(?!\w)"
        ),
        "",
    ),
    (re.compile(r"[$€£¥฿₫]"), " "),
    # "l30d", "2w", "12m": the last days, weeks, months or quarters
    (re.compile(r"\b(?:l|last |past )?(\d{1,3}) ?d\b"), r"last \1 days"),
    (re.compile(r"\b(?:l|last |past )?(\d{1,2}) ?w\b"), r"last \1 weeks"),
    (re.compile(r"\b(?:last |past )?(\d{1,2}) ?mo?\b"), r"last \1 months"),
    (re.compile(r"\b(?:l|last |past )(\d) ?q\b"), r"last \1 quarters"),
    (re.compile(r"\bsince (?:the )?(?:start|beginning) of\b"), "since"),
    (re.compile(r"\bwhat'?s\b"), "what is"),
    (re.compile(r"\bhow'?s\b"), "how is"),
    (re.compile(r"\bit's\b"), "it is"),
    (re.compile(r"\bi'm\b"), "i am"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"\b(i|we|you|they)'d\b"), r"\1 would"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'s\b"), ""),
)
_SPACED_DASH = re.compile(r"\s[-–—]+\s")
# "won/(won+lost)": a ratio over a sum is a formula, written to ask what a figure is.
_OVER_A_SUM = re.compile(r"/\s*(?=\([^)]*\+)")
# Letters and digits, with the combining marks of scripts such as Thai and Vietnamese.
_LETTER = r"(?:[^\W_]|[\u0300-\u036f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e])"
_WORD = re.compile(rf"{MARK}[\ue100-\ue1ff]|{_LETTER}+(?:&{_LETTER}+)*")
_SPACES = re.compile(r"\s+")
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-]{2,40}:")
# Pictographs, their skin tones and the joiners between them: emoji, which carry no words.
_EMOJI = re.compile("[\u200d\ufe0f\u2600-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]")


def shorten(text: str, limit: int = SHORT) -> str:
    """`text` on one line, cut to `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _around(text: str, index: int) -> str:
    """The offending part of `text` around `index`, control characters made visible."""
    start = max(0, index - SHORT // 2)
    excerpt = text[start : start + SHORT]
    return shorten(excerpt.encode("unicode_escape").decode("ascii"))


def _check_length(text: str) -> None:
    if len(text) > MAX_CHARS:
        reason = Reason.TOO_LONG.format(length=len(text), limit=MAX_CHARS)
        raise UnreadableError(shorten(text), reason)


def clean(raw: str) -> str:
    """Lower-case, NFKC, contractions expanded, whitespace collapsed; or `UnreadableError`."""
    _check_length(raw)
    text = unicodedata.normalize("NFKC", _unescape_slack(raw))
    _check_length(text)  # some characters expand under NFKC ("ﷺ" is 18 letters)
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs", "Co", "Cn") and char not in _LAYOUT_CONTROLS:
            raise UnreadableError(_around(text, index), Reason.CONTROL)
        if not (char.isspace() or _readable(char, category)):
            raise UnreadableError(_around(text, index), Reason.SYMBOLS)
    text = (
        text.casefold()
        .replace("’", "'")
        .replace("‘", "'")
        .replace("→", " to ")
        .replace("⇒", " to ")
    )
    text = text.replace("->", " to ").replace(" + ", " and ").replace(" & ", " and ")
    text = text.replace("%", " percent ").replace(" / ", " divided by ")
    text = _OVER_A_SUM.sub(" divided by ", text)
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    text = _SPACED_DASH.sub(" to ", f" {text} ")
    text = _SPACES.sub(" ", text).strip()
    if not _WORD.search(text):
        raise UnreadableError(shorten(raw), Reason.EMPTY)
    return text


# Slack's markup (docs.slack.dev, "Formatting text for app surfaces"): links keep their
# label, mentions of people and channels and bare links say nothing of the question.
_SLACK_LABELLED = re.compile(r"<(?:https?://|mailto:)[^|>]*\|([^>]*)>")
_SLACK_ENTITY = re.compile(r"<(?:[@#!][^>]*|https?://[^>]*|mailto:[^>]*)>")
_QUOTED = re.compile(r"^[ \t]*>+[ \t]?", re.MULTILINE)
_LISTED = re.compile(r"^[ \t]*(?:[•◦▪‣·*\-–]|\d{1,2}[.)])[ \t]+", re.MULTILINE)
_CODE = re.compile(r"`+")
_EMPHASIS = re.compile(r"(?<![\w*~_])[*~_]+(?=\w)|(?<=\w)[*~_]+(?![\w*~_])")


def from_slack(text: str) -> str:
    """The words of a Slack message without its markup: mentions, links (their label
    kept), code, bold, italic and strike marks, quotes and list bullets; each line of a
    list or a quote ends a sentence ("• win rate\n• Q3" asks one question)."""
    text = _SLACK_ENTITY.sub(" ", _SLACK_LABELLED.sub(r" \1 ", text))
    text = _EMPHASIS.sub("", _CODE.sub(" ", _LISTED.sub("", _QUOTED.sub("", text))))
    lines = [line.strip() for line in text.replace("^", " ").splitlines()]
    return " ".join(_ended(line) for line in lines if line)


def _ended(line: str) -> str:
    return line if line[-1] in ".!?:;," else f"{line}."


def _unescape_slack(text: str) -> str:
    """Slack sends `&`, `<` and `>` typed by people as `&amp;`, `&lt;` and `&gt;`, and
    emoji as `:rocket:` codes (or as themselves), which say nothing about the question."""
    text = _EMOJI.sub(" ", _EMOJI_CODE.sub(" ", text))
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _readable(char: str, category: str) -> bool:
    return category[0] in ("L", "M") or category == "Nd" or char in _ALLOWED_PUNCTUATION


def singular(word: str) -> str:
    """A crude singular so "mqls" matches "mql" and "channels" matches "channel"."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The words of cleaned text, in order (marks kept as single words)."""
    return _WORD.findall(text)


def words_of(phrase: str) -> tuple[str, ...]:
    """A phrase (alias, channel name) as the tuple of singular words questions match."""
    return tuple(singular(word) for word in _WORD.findall(phrase.casefold().replace("_", " ")))
