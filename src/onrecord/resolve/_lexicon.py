"""Small word lists the resolver uses: honorifics, role words, groups, organisations, outlets.

The lists are written for onrecord and kept short on purpose: they cover the words news
reports use when they introduce or refer back to a speaker. Everything is lower case.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from pathlib import Path
from typing import Literal

Gender = Literal["m", "f"]
log = logging.getLogger(__name__)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


HONORIFICS: dict[str, Gender | None] = {
    "mr": "m",
    "mr.": "m",
    "sir": "m",
    "lord": "m",
    "ms": "f",
    "ms.": "f",
    "mrs": "f",
    "mrs.": "f",
    "miss": "f",
    "dame": "f",
    "lady": "f",
    "mx": None,
    "mx.": None,
    "dr": None,
    "dr.": None,
    "prof": None,
    "prof.": None,
    "professor": None,
}
# Abbreviated titles before a name ("Sen.", "Gov.") say nothing of gender.
HONORIFICS.update(
    {
        f"{short}{dot}": None
        for short in _words("sen rep gov gen lt col capt sgt rev amb insp supt cllr")
        for dot in ("", ".")
    }
)
# What an abbreviated title before a name says the person is ("Sen. Matthias Brook").
ABBREVIATED_ROLES: dict[str, str] = {
    "sen": "senator",
    "rep": "representative",
    "gov": "governor",
    "gen": "general",
    "lt": "lieutenant",
    "col": "colonel",
    "capt": "captain",
    "sgt": "sergeant",
    "amb": "ambassador",
    "insp": "inspector",
    "supt": "superintendent",
    "cllr": "councillor",
}

# Head nouns that name a position a person holds. Gendered ones also say the gender.
ROLE_HEADS: frozenset[str] = _words(
    """
    minister president premier chancellor secretary spokesman spokeswoman spokesperson
    official ambassador envoy governor mayor senator lawmaker legislator mp chief head director
    chairman chairwoman chair chairperson ceo executive adviser advisor aide commander general
    colonel officer negotiator diplomat leader king queen prince princess judge prosecutor
    attorney lawyer economist analyst professor researcher representative commissioner
    manager founder owner councillor councilor candidate captain admiral inspector
    superintendent sheriff coach editor correspondent journalist reporter priest bishop pope
    rabbi imam activist campaigner monarch emir sultan treasurer auditor regulator strategist
    consultant banker scientist expert physician surgeon doctor nurse teacher principal dean
    chancellor rector congressman congresswoman businessman businesswoman president-elect
    vice-president vice-chair deputy secretary-general administrator counsel coordinator
    organiser organizer delegate spokespeople sergeant lieutenant major marshal master
    harbourmaster harbormaster captain pilot engineer owner operator curator mediator
    arbitrator facilitator ombudsman magistrate nominee contender hopeful frontrunner
    front-runner challenger incumbent pollster anchor host columnist commentator
    actor actress star tycoon mogul magnate billionaire singer rapper comedian novelist
    author writer filmmaker musician donor socialist philanthropist entrepreneur investor
    goalkeeper striker defender midfielder winger referee
    """
)

ROLE_GENDER: dict[str, Gender] = {
    "spokesman": "m",
    "chairman": "m",
    "congressman": "m",
    "businessman": "m",
    "king": "m",
    "prince": "m",
    "spokeswoman": "f",
    "chairwoman": "f",
    "congresswoman": "f",
    "businesswoman": "f",
    "queen": "f",
    "actor": "m",
    "actress": "f",
    "princess": "f",
}

# Words that modify a role inside a title ("Deputy Foreign Minister", "trade minister").
ROLE_MODIFIERS: frozenset[str] = _words(
    """
    deputy vice first second chief senior junior acting former interim assistant executive
    general state foreign trade finance defence defense interior home health economy economic
    energy justice education transport agriculture environment culture labour labor prime
    policy press communications security national public climate digital industry commerce
    treasury budget fisheries housing science sports tourism migration development affairs
    social regional local city county federal party opposition principal managing lead top
    permanent under special presidential military police army naval air
    """
)

PRONOUN_GENDER: dict[str, Gender | None] = {
    "he": "m",
    "him": "m",
    "she": "f",
    "her": "f",
}
PLURAL_PRONOUNS: frozenset[str] = frozenset({"they", "them", "we"})
NEUTER_PRONOUNS: frozenset[str] = frozenset({"it"})

# Plural heads that name a set of people speaking together.
GROUP_HEADS: frozenset[str] = _words(
    """
    officials sources diplomats analysts experts residents witnesses critics lawmakers
    legislators protesters activists investigators authorities observers economists officers
    soldiers rebels militants doctors workers employees people aides advisers advisors
    negotiators leaders ministers members spokespeople prosecutors researchers scientists
    organisers organizers campaigners farmers voters parents students locals insiders allies
    supporters opponents executives managers traders bankers mediators envoys delegates
    representatives staff unions families villagers teachers nurses engineers pilots sailors
    fishermen survivors relatives neighbours neighbors
    """
)

# Heads that name an institution rather than a person.
ORG_HEADS: frozenset[str] = _words(
    """
    ministry government kremlin alliance administration department office council committee
    commission company firm bank union party parliament senate congress cabinet court army
    military police embassy presidency palace campaign coalition board authority regulator
    organisation organization association federation institute university club team league
    foundation movement bureau secretariat mission consulate junta regime inc corporation
    corp ltd group agency navy guard service services directorate command pentagon
    prosecutor's assembly municipality city-hall hospital airline trust
    """
)

# Nouns that stand for an organisation the article has just named ("the company said").
GENERIC_ORG_NOUNS: frozenset[str] = _words(
    """
    company firm group bank carrier airline insurer retailer lender startup manufacturer
    automaker carmaker chipmaker developer operator utility corporation business conglomerate
    publisher maker brand giant producer supplier distributor broadcaster network exchange
    fund charity club team organisation organization agency
    """
)

# Words before a name that say where a person stands, not who they are.
AFFILIATION_WORDS: frozenset[str] = _words(
    """
    republican republicans democrat democrats democratic gop conservative liberal labour tory
    socialist green independent libertarian rival incumbent challenger
    """
)

# Lower-case words inside a name ("Pim de Waal", "Karim bin Said", "Anna van Dijk").
NAME_PARTICLES: frozenset[str] = _words(
    "de da di del della la le des van von der den bin ibn al el du dos das ter ten"
)

# Inflected speech verbs, never part of a name: a verb capitalised after a quotation
# ("... ," Stated Lind) that the tagger reads as a proper noun before the name ("Said" is also
# a given name, so it is not listed).
SPEECH_VERB_FORMS: frozenset[str] = _words(
    """
    says stated states added adds told tells wrote writes noted notes asked asks
    explained explains insisted insists argued argues warned warns replied replies declared
    declares claimed claims continued continues recalled recalls
    """
)

# A person's organised effort, named after them ("the Lind campaign").
CAMPAIGN_NOUNS: frozenset[str] = _words("campaign")

# Things that speak for their author ("a Tidewire survey", "the campaign's ad", "Lind's post").
DOCUMENT_NOUNS: frozenset[str] = _words(
    """
    poll survey report study memo memorandum ad advert advertisement statement tweet post letter
    analysis tally brief filing complaint website release paper document video email e-mail
    draft text bill book article editorial account feed page blog column op-ed speech memoir
    count story review average tracker investigation probe audit polling records data
    estimate estimates projection findings transcript
    """
)

# Titles that are part of how a person is named ("Prince Aldo", "Pope Leo", "Sheikh Omar").
NAME_TITLES: frozenset[str] = _words(
    """
    prince princess king queen pope sheikh sheikha emir sultan duke duchess emperor empress
    archduke grand-duke infanta archbishop cardinal
    """
)

# Real demonyms to country names; a fictional one is matched against the article instead.
DEMONYMS: dict[str, str] = {
    "american": "United States",
    "british": "United Kingdom",
    "french": "France",
    "german": "Germany",
    "russian": "Russia",
    "chinese": "China",
    "ukrainian": "Ukraine",
    "italian": "Italy",
    "spanish": "Spain",
    "japanese": "Japan",
    "indian": "India",
    "iranian": "Iran",
    "israeli": "Israel",
    "turkish": "Turkey",
    "polish": "Poland",
    "dutch": "Netherlands",
    "canadian": "Canada",
    "mexican": "Mexico",
    "brazilian": "Brazil",
    "australian": "Australia",
    "egyptian": "Egypt",
    "saudi": "Saudi Arabia",
    "syrian": "Syria",
    "iraqi": "Iraq",
    "pakistani": "Pakistan",
    "afghan": "Afghanistan",
    "greek": "Greece",
    "swedish": "Sweden",
    "norwegian": "Norway",
    "danish": "Denmark",
    "finnish": "Finland",
    "irish": "Ireland",
    "belgian": "Belgium",
    "swiss": "Switzerland",
    "austrian": "Austria",
    "hungarian": "Hungary",
    "czech": "Czech Republic",
    "romanian": "Romania",
    "bulgarian": "Bulgaria",
    "serbian": "Serbia",
    "croatian": "Croatia",
    "nigerian": "Nigeria",
    "kenyan": "Kenya",
    "argentine": "Argentina",
    "argentinian": "Argentina",
    "chilean": "Chile",
    "colombian": "Colombia",
    "venezuelan": "Venezuela",
    "cuban": "Cuba",
    "portuguese": "Portugal",
    "estonian": "Estonia",
    "latvian": "Latvia",
    "lithuanian": "Lithuania",
    "belarusian": "Belarus",
    "armenian": "Armenia",
    "vietnamese": "Vietnam",
    "thai": "Thailand",
    "indonesian": "Indonesia",
    "filipino": "Philippines",
    "malaysian": "Malaysia",
    "lebanese": "Lebanon",
    "jordanian": "Jordan",
    "qatari": "Qatar",
    "emirati": "United Arab Emirates",
    "yemeni": "Yemen",
    "libyan": "Libya",
    "tunisian": "Tunisia",
    "moroccan": "Morocco",
    "algerian": "Algeria",
    "ethiopian": "Ethiopia",
    "sudanese": "Sudan",
    "somali": "Somalia",
    "korean": "Korea",
    "south korean": "South Korea",
    "north korean": "North Korea",
    "south african": "South Africa",
}
DEMONYM_SUFFIXES: tuple[str, ...] = ("ian", "an", "ese", "ish", "i")

# A short list of common given names with the gender they usually carry; honorifics and
# pronouns already linked to a person take precedence over it.
FIRST_NAMES: dict[str, Gender] = {
    **dict.fromkeys(
        _words(
            """
        john james robert michael william david richard joseph thomas tomas charles daniel
        matthew mark paul peter piet steven andrew kenneth joshua kevin brian george edward
        ronald anthony jason ryan jacob gary nicholas eric jonathan stephen larry justin scott
        frank benjamin samuel gregory alexander patrick jack dennis jerry tyler aaron henry
        adam nathan ivan igor sergei sergey dmitri vladimir oleg pavel jan lars anders erik
        olaf hans klaus jurgen stefan pierre jean luc marco luca giovanni carlos jose juan
        miguel pedro ahmed mohammed mohamed ali omar hassan yusuf ibrahim kwame kofi emeka
        hiroshi kenji wei ravi arjun rahul viktor marek tomasz andrzej milan goran nikolai
        felix oscar hugo leon emil anton bruno theo simon martin viktor aleksandr
            """
        ),
        "m",
    ),
    **dict.fromkeys(
        _words(
            """
        mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa
        betty margaret sandra ashley kimberly emily donna michelle dorothy carol amanda
        melissa deborah stephanie rebecca laura sharon cynthia kathleen amy shirley angela
        helen anna anne brenda pamela nicole emma samantha katherine christine debra rachel
        catherine carolyn janet ruth maria heather diane virginia julie joyce victoria olivia
        kelly christina lauren joan evelyn judith megan cheryl andrea hannah martha jacqueline
        frances gloria ann teresa kathryn sara janice jean alice madison doris abigail julia
        judy grace denise amber marilyn beverly danielle theresa sophia marie diana brittany
        natalie isabella charlotte rose alexis kayla vera olga irina natalia tatiana svetlana
        elena ingrid astrid greta sofia ana lucia carmen fatima aisha amina leila mariam
        yuki mei priya anjali ewa agnieszka katarzyna kaja marta eva petra monika ursula
        claire sophie chloe camille ines nadia zara lena mila nina ada iris
            """
        ),
        "f",
    ),
}

# News organisations recognised by name alone.
_KNOWN_OUTLETS = """
    reuters|ap|associated press|afp|agence france-presse|agence france presse|bbc|bbc news|
    cnn|bloomberg|bloomberg news|al jazeera|dpa|efe|ansa|kyodo|kyodo news|xinhua|tass|
    ria novosti|interfax|yonhap|pti|press trust of india|anadolu|anadolu agency|
    the new york times|new york times|the washington post|washington post|the guardian|
    guardian|financial times|the financial times|the wall street journal|wall street journal|
    the times|the economist|politico|axios|npr|nbc|nbc news|cbs|cbs news|abc|abc news|fox news|
    sky news|itv|channel 4|le monde|le figaro|der spiegel|spiegel|die zeit|el pais|el país|
    la repubblica|corriere della sera|nhk|cbc|abc australia|rte|euronews|deutsche welle|dw|
    france 24|rfi|voice of america|voa|radio free europe|rfe/rl|the telegraph|
    usa today|los angeles times|la times|time magazine|newsweek|vox|buzzfeed news|
    huffpost|the intercept|propublica|nikkei|south china morning post|scmp|the hindu|
    times of india|haaretz|the jerusalem post|jerusalem post|times of israel|asharq al-awsat|
    arab news|gulf news|the straits times|straits times|sydney morning herald|
    the sydney morning herald|globe and mail|the globe and mail|toronto star|
    irish times|the irish times|daily mail|daily telegraph|
    evening standard|vice news|semafor|cnbc|msnbc|pbs|c-span|sputnik|rt|izvestia|kommersant|
    al arabiya|ria|ukrinform|unian|ukrayinska pravda|meduza|novaya gazeta
    """
# Platforms that carry people's words: a medium of a statement, never its speaker.
_KNOWN_PLATFORMS = """
    twitter|facebook|instagram|youtube|tiktok|telegram|linkedin|threads|bluesky|truth social|
    weibo|wechat|reddit|substack|snapchat|mastodon|whatsapp
    """
KNOWN_OUTLETS: frozenset[str] = frozenset(
    name.strip()
    for names in (_KNOWN_OUTLETS, _KNOWN_PLATFORMS)
    for name in names.replace("\n", "").split("|")
    if name.strip()
)

# Last words that make a capitalised name an outlet ("Harbour Gazette", "Associated Press").
OUTLET_LAST_WORDS: frozenset[str] = _words(
    """
    gazette times post herald ledger tribune journal news radio tv television press daily
    chronicle observer courier telegraph broadcasting broadcaster media weekly express
    mirror globe dispatch bulletin monitor inquirer sentinel examiner wire newswire
    magazine review standard gazeta zeitung newspaper fm network
    """
)
# First words that make a capitalised name an outlet ("Radio Corvel", "Channel 9").
OUTLET_FIRST_WORDS: frozenset[str] = frozenset({"radio", "channel", "daily", "tv", "television"})
# Word endings that make a one-word name an outlet ("Tidewire", "Infonews").
OUTLET_SUFFIXES: tuple[str, ...] = ("wire", "news", "tv", "fm", "press")

# Nouns that introduce an outlet's name ("the newspaper Morning Ledger", "agency Tidewire").
OUTLET_NOUNS: tuple[str, ...] = (
    "news agency",
    "wire service",
    "news site",
    "news website",
    "news outlet",
    "radio station",
    "tv station",
    "television station",
    "tv channel",
    "television channel",
    "newspaper",
    "paper",
    "daily",
    "weekly",
    "agency",
    "broadcaster",
    "magazine",
    "tabloid",
    "outlet",
    "channel",
    "station",
    "network",
    "website",
    "radio",
    "television",
    "publication",
    "portal",
    "podcast",
)

# Heads that look like an organisation but are institutions, not outlets ("told the Senate").
INSTITUTION_WORDS: frozenset[str] = ORG_HEADS - {"agency", "service", "services", "group"}


@functools.cache
def _name_list(file_name: str) -> frozenset[str]:
    """A first-name list shipped in the coreferee package's data folder, lower-cased.

    The package is installed without its code's dependencies (``make install``); only its
    data files are read, by path, without importing it.
    """
    spec = importlib.util.find_spec("coreferee")
    if spec is None or not spec.submodule_search_locations:
        log.warning("coreferee's first-name lists are missing; gender comes from the short list")
        return frozenset()
    path = Path(spec.submodule_search_locations[0]) / "lang" / "common" / "data" / file_name
    try:
        with path.open(encoding="utf-8") as handle:
            return frozenset(line.strip().lower() for line in handle if line.strip())
    except OSError:
        log.warning("cannot read %s; gender comes from the short first-name list", path)
        return frozenset()


@functools.cache
def _first_name_genders() -> dict[str, Gender]:
    male, female = _name_list("male_names.dat"), _name_list("female_names.dat")
    genders: dict[str, Gender] = dict.fromkeys(male - female, "m")
    genders.update(dict.fromkeys(female - male, "f"))
    genders.update(FIRST_NAMES)
    return genders


def first_name_gender(word: str) -> Gender | None:
    """The gender a first name says, from the short list and the shipped name lists."""
    return _first_name_genders().get(word.lower())


def is_first_name(word: str) -> bool:
    """Whether a word is a known first name of either gender (or of both)."""
    lower = word.lower()
    if lower in FIRST_NAMES:
        return True
    return lower in _name_list_union()


@functools.cache
def _name_list_union() -> frozenset[str]:
    return _name_list("male_names.dat") | _name_list("female_names.dat")
