"""English patterns for the page junk that scraped article text carries.

Each pattern is matched against one stripped line. Patterns in ``STRONG_RULES`` name the page
itself ("our newsletter", "we use cookies", an ``Image caption,`` label), so a reported sentence
never matches them; they may drop a long line. ``WEAK_RULES`` only ever drop lines that are not
sentences (see ``onrecord.clean._junk.is_protected``).
"""

from __future__ import annotations

import re

from onrecord.lang import JunkPatterns

IC = re.IGNORECASE

SOCIAL = (
    r"facebook|twitter|x|whatsapp|linkedin|e-?mail|reddit|telegram|copy\s+link|copy|link|print|"
    r"pinterest|flipboard|messenger|share|tweet|comments?|save|bluesky|threads|vk|sms"
)

FOOTER_ITEM = (
    r"terms (of (use|service))|terms|privacy( policy| notice)?|"
    r"cookie (policy|settings|preferences)|"
    r"contact( us)?|about( us)?|accessibility|sitemap|careers|advertise( with us)?|"
    r"help( centre| center)?|corrections|ethics( policy)?|newsletters?|rss|archive"
)

STRONG_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "footer",
        re.compile(r"(©|\(c\)|copyright\b)\s*(\d{4}\b)?.{0,300}all rights reserved.{0,300}", IC),
    ),
    ("footer", re.compile(r"(©|\(c\)|copyright)\s*\d{4}\b.{0,300}", IC)),
    ("advert", re.compile(r"advertisement\b.{0,40}", IC)),
    (
        "cookie",
        re.compile(
            # Two lookaheads, each one linear scan, instead of nested ".*" that backtrack.
            r"(?=.*\bcookies?\b)(?=.*\b(we use|this (web)?site uses|our (web)?site|accept( all)?|"
            r"manage (your )?(preferences|settings)|by continuing)\b).*",
            IC,
        ),
    ),
    (
        "share",
        re.compile(
            r"(sign up|subscribe|register)\b.{0,80}\b(our|your)\b.{0,60}"
            r"\b(newsletters?|inbox|alerts|briefings?|emails?)\b.*",
            IC,
        ),
    ),
    ("share", re.compile(r".{0,60}\bnewsletters?\b.{0,40}\b(inbox|sign up|subscribe)\b.*", IC)),
    ("promo", re.compile(r"read the (rest|full (article|story)) (here|at|on)\b.{0,60}", IC)),
    ("promo", re.compile(r"click here (to|for) .{0,80}", IC)),
    ("footer", re.compile(r"our standards:.{0,120}", IC)),
    ("promo", re.compile(r"(download|get) (the|our) .{0,30}\bapp\b.{0,80}", IC)),
    (
        "caption",
        re.compile(r"(image|photo|video|picture) (caption|source|credit)s?(\s*[,:].{0,300})?", IC),
    ),
    # Gallery captions: "[1/3] A man walks past ... REUTERS/Jane Doe Purchase Licensing Rights".
    ("caption", re.compile(r"(\[\d+/\d+\]|item \d+ of \d+\b).{0,400}", IC)),
    ("caption", re.compile(r".{0,400}\bpurchase licensing rights\b.{0,60}", IC)),
)

WEAK_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "cookie",
        re.compile(
            r"((accept|reject|decline|allow)( all| essential| necessary)?( cookies)?|"
            r"manage (preferences|cookies|settings|consent)|cookie (settings|preferences|policy)|"
            r"i (agree|accept)|got it|agree and (close|continue))[\s.!]*",
            IC,
        ),
    ),
    (
        "advert",
        re.compile(
            r"(advertising|sponsored( content| stories| links)?|ad|ads|ad feedback|"
            r"(story|article) continues (below|after)( this)?( advertisement| ad)?|"
            r"continue reading (below|the main story)|scroll (down )?to continue( with content)?|"
            r"skip (advertisement|ad)|supported by|"
            r"paid (content|partner|post)|promoted( content| stories)?)[\s.:-]*",
            IC,
        ),
    ),
    (
        "share",
        re.compile(
            r"(share|tweet|email|e-mail)( this)?( article| story| page| post| video)?"
            r"( on| via| to)?(\s+(" + SOCIAL + r"))*[\s:]*",
            IC,
        ),
    ),
    ("share", re.compile(r"((" + SOCIAL + r")[\s|•·,/]*){1,10}", IC)),
    ("share", re.compile(r"(follow|like|join|find) us((\s+(on|at|via)\b).{0,80})?[\s.!]*", IC)),
    (
        "share",
        re.compile(
            r"(follow|contact) [\w.'’ -]{2,40}\b(on|at|via) (twitter|x|facebook|instagram|threads|"
            r"bluesky|telegram|tiktok|linkedin|truth social|@)\b.{0,60}|follow|"
            r"(share|gift|give) (full |this )?article|read in app|save article",
            IC,
        ),
    ),
    (
        "share",
        re.compile(
            # The bare calls ("Subscribe", "Sign in now") stand alone; a longer line must speak
            # as the site does, so "Register of voters opens" stays.
            r"(sign up|subscribe|register|sign in|log ?in|log out|my account)"
            r"( now| here| today| for free| free| to (continue|read|comment))?[\s.!:]*|"
            r"(create (an|your) account|already (a subscriber|have an account)|"
            r"become a (member|subscriber)|get (unlimited|full) access|"
            r"support (our|independent) journalism|"
            r"(subscribe|sign up) (to|for) (our|the) )\b.{0,80}",
            IC,
        ),
    ),
    (
        "share",
        re.compile(
            r"(leave|post|add|view|show|read|hide) (a |the |all |\d+ )?comments?.{0,20}|"
            r"\d+\s+comments?|comments?( \(\d+\))?",
            IC,
        ),
    ),
    (
        "promo",
        re.compile(
            r"(listen to this (article|story)|listen|audio( version)?|play( audio| video)?|"
            r"watch( video| now| live)?|your browser does not support the (audio|video) element|"
            r"read more|continue reading|read (the )?full (story|article)|full story|"
            r"get breaking news alerts|breaking news alerts|turn on notifications)\b"
            # Only a duration may follow ("Listen 4 min"): "Watch: PM resigns" is a headline.
            r"[\s.:!·•|()-]*(\d+(:\d\d)?\s*(min|mins|minutes|sec|secs|seconds)?\b[\s.)]*)?",
            IC,
        ),
    ),
    (
        "nav",
        re.compile(
            r"(skip to (main )?(content|navigation|search)|menu|main menu|search|close|open menu|"
            r"search( [\w'’]+){0,3}\s*(\.\.\.|…)?|.{0,40}\bback to (home|top)\b.{0,20}|"
            r"reuse this content|loading\.*|(please )?enable javascript.{0,80}|"
            r"go to (the )?(media ?bank|photo ?bank)|"
            r"back to top|home ?page|toggle navigation|navigation|sections|more sections|"
            r"edition|choose your edition|trending topics|explore|all topics|"
            r"(tags|topics|filed under|categories)\s*:.{0,200})\s*",
            IC,
        ),
    ),
    (
        "footer",
        re.compile(
            r"(©|\(c\)|copyright\b).{0,200}|.{0,120}all rights reserved.{0,120}|"
            r"(" + FOOTER_ITEM + r"|do not sell my .{0,40}|manage (cookies|consent)|"
            r"your privacy choices)([\s|•·,/]+(" + FOOTER_ITEM + r"))*[\s.]*",
            IC,
        ),
    ),
)

# Photo credits come as a parenthesis closing a caption (photo by a photographer, slash, agency,
# "via Getty Images"), as a "Photo: agency" label, or as a bare agency name on its own line.
AGENCY = (
    r"getty images|getty|afp|ap|ap photo|reuters|epa|epa-efe|shutterstock|alamy|pool|xinhua|tass|"
    r"sputnik|ria novosti|anadolu|bloomberg|pa|pa images|pa wire|upi|dpa|ansa|efe|kyodo|"
    r"yonhap|sipa|zuma|nurphoto|imago|abaca|ddp|reuters tv|handout|supplied|file photo|courtesy"
)
CREDIT_PAREN = re.compile(
    r"\((?P<credit>(?:photo|photograph|image|picture|pic|video|illustration|credit)s?"
    r"(?:\s+by|\s*:)[^()]{1,120}"
    r"|[^()]{0,80}\b(?:via getty images|getty images|ap photo)\b[^()]{0,60}"
    r"|[^()a-z]{0,40}[A-Z][A-Za-z.'’ -]*\s*/\s*[A-Z][^()]{0,80}"
    r"|file photo[^()]{0,60})\)\s*$",
    IC,
)
# The slash credit form must be written in capitals ("KIRAN RIDLEY/POOL/AFP"), not "(he/she)".
CREDIT_SLASH = re.compile(r"[A-Z]{2,}[A-Z.'’ -]*/|/\s*[A-Z]{2,}")
CREDIT_TAIL = re.compile(
    r"(?<=[.!?”\"])\s+(?P<credit>(?:photo|photograph|image|picture|credit|source)s?\s*:\s*"
    r"[^.]{1,80})$",
    IC,
)
CREDIT_LINE = re.compile(
    r"\(?\s*(?:(?:photo|photograph|image|picture|pic|video|illustration|graphic|credit|footage)s?"
    r"(?:\s+(?:by|credit|courtesy(?:\s+of)?)\s*:?|\s*[:|])\s*[^.!?]{1,80}"
    # Names before an agency only with "via" ("Jane Doe via Getty Images"): "Trump Slams AP"
    # is a headline. Capitals are checked case-sensitively.
    r"|(?:(?-i:(?:[A-Z][\w.'’-]*\s+){1,3})via\s+)?(?:" + AGENCY + r")"
    r"(?:\s*/\s*[\w.'’ -]{1,60})?"
    r"|(?-i:[A-Z]{2,}[A-Z-]*\s*/\s*[A-Z][\w.'’ -]{1,60}))\s*\)?\s*",
    IC,
)

RELATED_MARKER = re.compile(
    r"(you (may|might) (also )?(like|enjoy|be interested in)|"
    r"related( (stories|story|articles?|news|content|coverage|reading|posts?|links?|topics?|"
    r"videos?))?|explore more( on these topics)?|"
    r"more (from|on) .{1,40}|more (stories|news|to explore|like this|videos|headlines)|"
    r"read more( stories)?|read (next|also)|also read|see also|"
    r"recommended( stories| for you| reading| articles| videos)?|"
    r"most (read|popular|viewed|shared|watched)( stories| articles)?|"
    r"trending( now| stories| news)?|top (stories|news|headlines)|"
    r"latest( news| stories| headlines)?|"
    r"don'?t miss|what to read next|editor'?s? (picks|choice)|up next|watch next|"
    r"in other news|sponsored stories|around the web|from the web|popular now|"
    r"keep reading|further reading|more coverage|other stories|elsewhere on .{1,40}|"
    r"the latest|more in .{1,40}|popular( stories| now| articles)?|"
    r"suggested( for you| stories| articles| reading)?|what'?s (hot|new|trending)|"
    r"promoted (stories|content)|sponsored links|paid content|more videos|watch more|"
    r"more like this|read more stories( about)?|latest stories|top picks)"
    # "More stories from Fox News", "Latest from Politics", "Trending in Europe".
    r"(\s+(from|on|in|at|about)\s+.{1,40})?\s*[:»›>.…-]*\s*",
    IC,
)
INLINE_TEASER = re.compile(
    r"(read more|read also|also read|related|see also|more on this( story)?|recommended|"
    r"watch|more|read next|also on .{1,30})\s*[:|»›>–—-]+\s*\S.{0,200}",
    IC,
)

# Reuters-style link notes glued into sentences: "said the Treasury, opens new tab on Monday".
LINK_NOTE = re.compile(r",? opens new tab\b", re.IGNORECASE)

LISTEN_PROMO = re.compile(
    r"^\s*(?:NEW\s*)?You can now listen to [^.!?\n]{0,60}?articles?\s*[!.]?\s*"
    r"|^\s*Listen to (?:this|the) (?:article|story)(?:\s*[·•|:,-]?\s*\d+\s*(?:min(?:ute)?s?|"
    r"seconds?|secs?)\b(?:\s*(?:listen|read))?)?\s*[.:·•|-]?\s*"
    r"|^\s*(?:\d+\s*min(?:ute)?s?\s+read|Reading time:?\s*\d+\s*min(?:ute)?s?)\s*[·•|-]?\s*",
    re.IGNORECASE,
)

# Words that top-of-page menus are made of; a line before the title made only of these is a menu.
NAV_WORDS = frozenset(
    [
        "home",
        "news",
        "world",
        "politics",
        "business",
        "economy",
        "markets",
        "tech",
        "technology",
        "science",
        "health",
        "sport",
        "sports",
        "culture",
        "entertainment",
        "opinion",
        "opinions",
        "lifestyle",
        "travel",
        "video",
        "videos",
        "live",
        "podcasts",
        "podcast",
        "europe",
        "asia",
        "africa",
        "americas",
        "us",
        "u.s.",
        "uk",
        "middle",
        "east",
        "russia",
        "ukraine",
        "china",
        "latest",
        "weather",
        "menu",
        "search",
        "sections",
        "more",
        "subscribe",
        "log",
        "in",
        "sign",
        "account",
        "edition",
        "international",
        "local",
        "national",
        "magazine",
        "newsletter",
        "newsletters",
        "games",
        "puzzles",
        "climate",
        "media",
        "arts",
        "food",
        "style",
        "investigations",
        "analysis",
        "features",
        "explainers",
        "photos",
        "galleries",
        "gallery",
        "audio",
        "radio",
        "tv",
        "shop",
        "jobs",
        "obituaries",
        "real",
        "estate",
        "cars",
        "defense",
        "defence",
        "elections",
        "breaking",
        "exclusive",
        "top",
        "stories",
        "the",
        "a",
        "and",
        "of",
        "global",
        "nation",
        "region",
        "regions",
        "state",
        "city",
        "crime",
        "education",
        "environment",
        "money",
        "finance",
        "personal",
        "us-news",
        "world-news",
        "uk-news",
        "insider",
        "premium",
        "today",
        "trending",
        "watch",
        "listen",
        "read",
    ]
)
LIST_SEPARATORS = re.compile(r"\s*(?:\||•|·|›|»|>|/|–|—)\s*")

PATTERNS = JunkPatterns(
    strong_rules=STRONG_RULES,
    weak_rules=WEAK_RULES,
    credit_paren=CREDIT_PAREN,
    credit_slash=CREDIT_SLASH,
    credit_tail=CREDIT_TAIL,
    credit_line=CREDIT_LINE,
    related_marker=RELATED_MARKER,
    inline_teaser=INLINE_TEASER,
    link_note=LINK_NOTE,
    listen_promo=LISTEN_PROMO,
    nav_words=NAV_WORDS,
    list_separators=LIST_SEPARATORS,
)
