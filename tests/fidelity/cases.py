"""Hand-written relays of invented statements, each with the findings a reader should get.

Each case: a first report (outlet, text), a later article in another outlet (outlet, text),
and the kinds of finding expected on the later article's quote (empty: faithful).
"""

from __future__ import annotations

from typing import NamedTuple


class Case(NamedTuple):
    name: str
    first_outlet: str
    first: str
    later_outlet: str
    later: str
    expected: frozenset[str]


def _case(name: str, first: tuple[str, str], later: tuple[str, str], *kinds: str) -> Case:
    return Case(name, first[0], first[1], later[0], later[1], frozenset(kinds))


L, T, G, C = "Morning Ledger", "Tidewire", "Harbour Gazette", "Valley Courier"

CASES: tuple[Case, ...] = (
    _case(
        "faithful_relay_with_credit",
        (
            L,
            'Ines Marlow is the mayor of Corvel.\n\n"The ferry will keep running through the '
            'winter, whatever the storms bring," Marlow told the Morning Ledger.',
        ),
        (
            T,
            'Ines Marlow is the mayor of Corvel.\n\n"The ferry will keep running through the '
            'winter, whatever the storms bring," Marlow told the Morning Ledger.',
        ),
    ),
    _case(
        "faithful_curly_marks_and_spelling",
        (
            L,
            'Bram Osei runs the Pellham labour office.\n\n"We will organise the harbour '
            'apprenticeships ourselves this year," Osei said.',
        ),
        (
            T,
            "Bram Osei runs the Pellham labour office.\n\n“We will organize the harbor "
            "apprenticeships ourselves this year,” Osei said, according to the Morning Ledger.",
        ),
    ),
    _case(
        "negation_dropped_in_rewrite",
        (
            L,
            'Vera Lindahl is the health director of Ostwick.\n\n"We will not close the night '
            'clinic on the east side of town," Lindahl told the Morning Ledger.',
        ),
        (
            G,
            'Vera Lindahl is the health director of Ostwick.\n\n"We will close the night clinic '
            'on the east side of town," Lindahl told the Morning Ledger.',
        ),
        "negation_changed",
    ),
    _case(
        "negation_added",
        (
            L,
            'Piet Hollander is the port director of Brantham.\n\n"The new cranes can handle '
            'the larger container ships from next spring," Hollander said.',
        ),
        (
            C,
            'Piet Hollander is the port director of Brantham.\n\n"The new cranes cannot handle '
            'the larger container ships from next spring," Hollander said, according to the '
            "Morning Ledger.",
        ),
        "negation_changed",
    ),
    _case(
        "number_changed",
        (
            L,
            'Agnes Fairweather is the finance chief of Harrowmere.\n\n"The repairs will cost '
            'the city 12 million over the next three years," Fairweather said.',
        ),
        (
            T,
            'Agnes Fairweather is the finance chief of Harrowmere.\n\n"The repairs will cost '
            'the city 21 million over the next three years," Fairweather said, the Morning '
            "Ledger reported.",
        ),
        "number_changed",
    ),
    _case(
        "percentage_changed",
        (
            L,
            'Olek Danner is the transit commissioner of Veldora.\n\n"Fares will rise by four '
            'per cent in the autumn and not a penny more," Danner told the Morning Ledger.',
        ),
        (
            G,
            'Olek Danner is the transit commissioner of Veldora.\n\n"Fares will rise by 14 per '
            'cent in the autumn and not a penny more," Danner told the Morning Ledger.',
        ),
        "number_changed",
    ),
    _case(
        "date_changed",
        (
            L,
            'Hedda Sorensen is the schools minister.\n\n"Every classroom in the valley will '
            'have working heating by October," Sorensen said.',
        ),
        (
            C,
            'Hedda Sorensen is the schools minister.\n\n"Every classroom in the valley will '
            'have working heating by December," Sorensen said, according to the Morning Ledger.',
        ),
        "date_changed",
    ),
    _case(
        "weekday_changed",
        (
            L,
            'Luca Ferrante leads the dockworkers union.\n\n"Our members will walk out on '
            'Thursday if the talks collapse again," Ferrante told the Morning Ledger.',
        ),
        (
            T,
            'Luca Ferrante leads the dockworkers union.\n\n"Our members will walk out on Monday '
            'if the talks collapse again," Ferrante told the Morning Ledger.',
        ),
        "date_changed",
    ),
    _case(
        "place_name_changed",
        (
            L,
            'Mira Castellan is the housing minister.\n\n"The first two hundred homes will be '
            'built in Marrowby, on land the state already owns," Castellan said.',
        ),
        (
            G,
            'Mira Castellan is the housing minister.\n\n"The first two hundred homes will be '
            'built in Ashcombe, on land the state already owns," Castellan said, according to '
            "the Morning Ledger.",
        ),
        "name_changed",
    ),
    _case(
        "person_name_changed",
        (
            L,
            'Dorian Weekes is the council leader of Tollbridge.\n\n"I asked Councillor Abara '
            'to lead the inquiry into the flood barrier contract," Weekes said.',
        ),
        (
            C,
            'Dorian Weekes is the council leader of Tollbridge.\n\n"I asked Councillor Brenner '
            'to lead the inquiry into the flood barrier contract," Weekes said, according to '
            "the Morning Ledger.",
        ),
        "name_changed",
    ),
    _case(
        "word_substituted",
        (
            L,
            'Selin Aydemir is the water commissioner.\n\n"The reservoir levels are worrying, '
            'and households should use less water this summer," Aydemir told the Morning '
            "Ledger.",
        ),
        (
            T,
            'Selin Aydemir is the water commissioner.\n\n"The reservoir levels are alarming, '
            'and households should use less water this summer," Aydemir told the Morning '
            "Ledger.",
        ),
        "words_substituted",
    ),
    _case(
        "word_inserted",
        (
            L,
            'Gustav Ekwall is the police chief of Wrenfield.\n\n"The protest on the bridge was '
            'peaceful and my officers kept their distance," Ekwall said.',
        ),
        (
            G,
            'Gustav Ekwall is the police chief of Wrenfield.\n\n"The protest on the bridge was '
            'largely peaceful and my officers kept their distance," Ekwall said, according to '
            "the Morning Ledger.",
        ),
        "words_inserted",
    ),
    _case(
        "word_dropped",
        (
            L,
            'Rosa Quintero is the environment minister.\n\n"The factory must stop dumping '
            'untreated waste into the river immediately," Quintero told the Morning Ledger.',
        ),
        (
            C,
            'Rosa Quintero is the environment minister.\n\n"The factory must stop dumping '
            'waste into the river immediately," Quintero told the Morning Ledger.',
        ),
        "words_dropped",
    ),
    _case(
        "trimmed_at_end",
        (
            L,
            'Tobias Renner is the airport director of Kestrel Bay.\n\n"The runway will reopen '
            'next week. Passengers should still expect long queues at security," Renner said.',
        ),
        (
            T,
            'Tobias Renner is the airport director of Kestrel Bay.\n\n"The runway will reopen '
            'next week," Renner said, according to the Morning Ledger.',
        ),
        "trimmed",
    ),
    _case(
        "trimmed_with_ellipsis",
        (
            L,
            'Amara Whitlock is the culture minister.\n\n"The museum will stay open, although '
            'the west wing needs a new roof, and entry will remain free for children," '
            "Whitlock told the Morning Ledger.",
        ),
        (
            G,
            'Amara Whitlock is the culture minister.\n\n"The museum will stay open ... and entry '
            'will remain free for children," Whitlock told the Morning Ledger.',
        ),
        "trimmed",
    ),
    _case(
        "trim_removes_negation",
        (
            L,
            'Caspar Lindqvist is the defence minister.\n\n"We will not send troops to the '
            'border unless the talks fail completely," Lindqvist said.',
        ),
        (
            C,
            "Caspar Lindqvist is the defence minister.\n\nLindqvist said the government would "
            '"send troops to the border unless the talks fail completely", according to the '
            "Morning Ledger.",
        ),
        "negation_changed",
    ),
    _case(
        "trim_removes_condition",
        (
            L,
            'Noor Hadley is the finance minister.\n\n"Taxes will go up next year only if the '
            'recovery stalls," Hadley told the Morning Ledger.',
        ),
        (
            T,
            'Noor Hadley is the finance minister.\n\nHadley said "taxes will go up next year", '
            "according to the Morning Ledger.",
        ),
        "trimmed",
    ),
    _case(
        "speaker_swapped",
        (
            L,
            'Henrik Vallo is the mayor of Dunmere.\n\n"Nobody will lose their home because of '
            'the new bypass, I promise you that," Vallo told the Morning Ledger.',
        ),
        (
            G,
            'Sabine Orlov is the deputy mayor of Dunmere.\n\n"Nobody will lose their home '
            'because of the new bypass, I promise you that," Orlov told the Morning Ledger.',
        ),
        "speaker_changed",
    ),
    _case(
        "speaker_swapped_to_spokesperson",
        (
            L,
            'Idris Kamara is the health minister.\n\n"The vaccine campaign will reach every '
            'village in the north before the rains," Kamara said.',
        ),
        (
            C,
            'Lena Voss is a spokeswoman for the health ministry.\n\n"The vaccine campaign will '
            'reach every village in the north before the rains," Voss said, according to the '
            "Morning Ledger.",
        ),
        "speaker_changed",
    ),
    _case(
        "paraphrase_presented_as_direct",
        (
            L,
            "Elio Santangelo is the transport minister.\n\nSantangelo said the government "
            "would review the tram contract with the city in the spring.",
        ),
        (
            T,
            'Elio Santangelo is the transport minister.\n\n"The government will review the '
            'tram contract with the city in the spring," Santangelo said, according to the '
            "Morning Ledger.",
        ),
        "paraphrase_as_direct",
    ),
    _case(
        "paraphrase_with_pronouns",
        (
            L,
            "Marit Haugen chairs the Veldora port authority.\n\nHaugen said her office was "
            "ready to guarantee the dock loans for the shipyard.",
        ),
        (
            G,
            'Marit Haugen chairs the Veldora port authority.\n\n"My office is ready to '
            'guarantee the dock loans for the shipyard," Haugen said, according to the Morning '
            "Ledger.",
        ),
        "paraphrase_as_direct",
    ),
    _case(
        "relay_lost_claims_own_interview",
        (
            L,
            'Yusuf Demir is the energy minister.\n\n"The coal plant at Harrowmere will shut '
            'for good in three years," Demir told the Morning Ledger.',
        ),
        (
            C,
            'Yusuf Demir is the energy minister.\n\n"The coal plant at Harrowmere will shut '
            'for good in three years," Demir told the Valley Courier.',
        ),
        "relay_lost",
    ),
    _case(
        "relay_lost_interview_claim",
        (
            L,
            'Beatrix Hale is the chief executive of Corvel Water.\n\n"Bills will stay frozen '
            'until the pipes are fixed," Hale told the Morning Ledger.',
        ),
        (
            T,
            'Beatrix Hale is the chief executive of Corvel Water.\n\n"Bills will stay frozen '
            'until the pipes are fixed," Hale said in an interview with Tidewire.',
        ),
        "relay_lost",
    ),
    _case(
        "faithful_indirect_relay",
        (
            L,
            'Konrad Bielski is the farm minister.\n\n"Farmers will get the drought payments '
            'before the harvest," Bielski told the Morning Ledger.',
        ),
        (
            G,
            "Konrad Bielski is the farm minister.\n\nBielski told the Morning Ledger that "
            "farmers would get the drought payments before the harvest.",
        ),
    ),
    _case(
        "faithful_number_words",
        (
            L,
            'Helga Maes is the mayor of Ostwick.\n\n"We have opened ten new shelters since '
            'the fire and we will open more," Maes said.',
        ),
        (
            C,
            'Helga Maes is the mayor of Ostwick.\n\n"We have opened 10 new shelters since the '
            'fire and we will open more," Maes said, according to the Morning Ledger.',
        ),
    ),
    _case(
        "faithful_contraction",
        (
            L,
            'Ravi Menon is the sports minister.\n\n"We do not have the money for a new '
            'stadium, and we will not pretend otherwise," Menon told the Morning Ledger.',
        ),
        (
            T,
            "Ravi Menon is the sports minister.\n\n\"We don't have the money for a new stadium, "
            "and we won't pretend otherwise,\" Menon told the Morning Ledger.",
        ),
    ),
    _case(
        "number_and_speaker_changed",
        (
            L,
            'Oona Kivela is the budget minister.\n\n"The deficit will fall to three per cent '
            'of output by the end of next year," Kivela said.',
        ),
        (
            G,
            'Jasper Lund is the opposition leader.\n\n"The deficit will fall to five per cent '
            'of output by the end of next year," Lund said, according to the Morning Ledger.',
        ),
        "number_changed",
        "speaker_changed",
    ),
    _case(
        "substitution_that_reverses_meaning",
        (
            L,
            'Anouk Verbeek is the education minister.\n\n"Exam fees will decrease for every '
            'family on the lowest incomes from September," Verbeek told the Morning Ledger.',
        ),
        (
            C,
            'Anouk Verbeek is the education minister.\n\n"Exam fees will increase for every '
            'family on the lowest incomes from September," Verbeek told the Morning Ledger.',
        ),
        "words_substituted",
    ),
    _case(
        "year_changed",
        (
            L,
            'Felix Brandauer is the rail director.\n\n"The northern line will be electrified '
            'by 2029 at the latest," Brandauer said.',
        ),
        (
            T,
            'Felix Brandauer is the rail director.\n\n"The northern line will be electrified '
            'by 2031 at the latest," Brandauer said, according to the Morning Ledger.',
        ),
        "date_changed",
    ),
    _case(
        "faithful_trailing_punctuation_and_case",
        (
            L,
            'Greta Solheim is the fisheries minister.\n\n"The cod quota will stay where it is '
            'for another season." Solheim said this on the quay.',
        ),
        (
            G,
            'Greta Solheim is the fisheries minister.\n\n"the cod quota will stay where it is '
            'for another season," Solheim told the Morning Ledger.',
        ),
    ),
)
