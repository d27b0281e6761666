"""English names of the days and months, lower-cased, shared by the rules that must tell a date
word from a name ("on Monday" is when, not an outlet; "May" opens a date)."""

from typing import Final

WEEKDAYS: Final = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
)
MONTHS: Final = frozenset(
    {"january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"}
)  # fmt: skip
# Their short forms ("Sept", "Wed").
MONTH_ABBREVIATIONS: Final = frozenset(
    {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
)
WEEKDAY_ABBREVIATIONS: Final = frozenset({"mon", "tue", "wed", "thu", "fri", "sat", "sun"})
