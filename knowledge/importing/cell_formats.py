"""A spreadsheet cell's value as Excel shows it, under the cell's number format.

A workbook stores a number and, apart, how to show it: `0.45` under `"£"0.00` is the `£0.45` the
curator typed and HR approved, `0.1` under `0%` is `10%`, a date is a serial number under
`dd/mm/yyyy`. An answer is imported word for word, so it must be the text the sheet shows, not
the stored value. `shown` covers what Q&A sheets use: General, fixed decimals, thousands
separators, percentages, currency symbols (quoted or `[$£-809]`), literal text, and dates and
times. A format it does not read (fractions, scientific notation, conditions such as `[>=100]`)
shows the value as General does, never an error: the import report's preview lets a curator see it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from openpyxl.styles.numbers import BUILTIN_FORMATS

__all__ = ["shown"]

_UK_SHORT_DATE = "dd/mm/yyyy"
# Built-in formats 14 and 22 follow the reader's system short date, and 5 to 8 and 42 and 44 its
# currency; openpyxl names them in the US form. This bot serves an NHS organisation, whose Excel
# shows them day first and in pounds.
_SYSTEM_FORMATS = {
    "mm-dd-yy": _UK_SHORT_DATE,
    "m/d/yy h:mm": f"{_UK_SHORT_DATE} hh:mm",
    "[$-f800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy": "dddd, d mmmm yyyy",
    "[$-f400]h:mm:ss\\ am/pm": "hh:mm:ss",
}
_SYSTEM_FORMATS |= {
    code.lower(): code.replace('"$"', '"£"')
    for code in BUILTIN_FORMATS.values()
    if '"$"' in code  # the currency formats, and only those, are written with a quoted dollar
}
# openpyxl names format 44 without the semicolons between its sections.
_SYSTEM_FORMATS[BUILTIN_FORMATS[44].lower()] = '_("£"* #,##0.00_);_("£"* \\(#,##0.00\\);_("£"* "-"??_);_(@_)'
_TOKEN = re.compile(
    r'"(?P<quoted>[^"]*)"'
    r"|\\(?P<escaped>.)"
    r"|_(?P<space>.)"
    r"|\*(?P<fill>.)"
    r"|\[(?P<bracket>[^\]]*)\]"
    r"|(?P<general>general)"
    r"|(?P<ampm>am/pm|a/p)"
    r"|(?P<date>y+|m+|d+|h+|s+)"
    r"|(?P<digits>[0#?][0#?,]*(?:\.[0#?]*)?|\.[0#?]+)"
    r"|(?P<percent>%)"
    r"|(?P<text>@)"
    r"|(?P<other>.)",
    re.IGNORECASE | re.DOTALL,
)
_UNREAD = re.compile(r"[eE][+-]|/[0-9?#]|\[[<>=]")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def shown(value: object, number_format: str | None = "General") -> str:
    """The text Excel shows for `value` (as openpyxl reads it) under `number_format`.

    Text is shown as it is; `None` is ''; TRUE and FALSE are upper case, as Excel shows them.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    code = _SYSTEM_FORMATS.get((number_format or "General").lower(), number_format or "General")
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return _date(value, _sections(code)[0])
    if isinstance(value, int | float):
        return _number(float(value), code)
    return str(value)


def _sections(code: str) -> list[str]:
    """The format's sections (positive; negative; zero; text), split where no quote or escape hides the ';'."""
    sections, start = [], 0
    for token in _TOKEN.finditer(code):
        if token.group("other") == ";":
            sections.append(code[start : token.start()])
            start = token.end()
    sections.append(code[start:])
    return sections


def _general(number: float) -> str:
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    return format(number, ".10g").replace("e", "E")


def _number(number: float, code: str) -> str:
    sections = _sections(code)
    if number < 0 and len(sections) > 1:
        section, number, sign = sections[1], -number, ""  # the negative section writes its own sign, if any
    elif number == 0 and len(sections) > 2:
        section, sign = sections[2], ""
    else:
        section, sign = sections[0], "-" if number < 0 else ""
        number = abs(number)
    if _UNREAD.search(section) or not section.strip():
        return _general(-number if sign else number)
    tokens = list(_TOKEN.finditer(section))
    if not any(token.group("digits") or token.group("general") for token in tokens) and any(
        token.group("date") or token.group("text") for token in tokens
    ):
        return _general(-number if sign else number)  # a number in a text cell, or a date openpyxl left a number
    percent = sum(1 for token in tokens if token.group("percent"))
    scaled = Decimal(repr(number)) * (100**percent)
    parts: list[str] = []
    written = False
    for token in tokens:
        if (digits := token.group("digits")) is not None:
            if not written:
                parts.append(sign + _digits(scaled, digits))
                written = True
        elif token.group("general") is not None:
            parts.append(sign + _general(float(scaled)))
            written = True
        else:
            parts.append(_literal(token))
    text = "".join(parts).strip()  # the padding `_)` and `* ` leave for alignment is not text
    return text if written else sign + text


def _digits(number: Decimal, pattern: str) -> str:
    """`number` (not negative) under one run of digit placeholders, such as `#,##0.00`."""
    whole, _, decimals = pattern.partition(".")
    trailing = len(whole) - len(whole.rstrip(","))
    whole = whole.rstrip(",")
    number /= Decimal(1000) ** trailing  # a comma after the digits counts in thousands
    places = len(decimals)
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    integer, _, fraction = f"{rounded:f}".partition(".")
    minimum = whole.count("0")
    integer = integer.lstrip("0").rjust(minimum, "0")
    if "," in whole and integer:
        integer = f"{int(integer):,}".rjust(minimum, "0")
    required = decimals.count("0")
    fraction = fraction[:places]
    while len(fraction) > required and fraction.endswith("0"):
        fraction = fraction[:-1]
    return f"{integer}.{fraction}" if "." in pattern else integer


def _literal(token: re.Match[str]) -> str:
    if (quoted := token.group("quoted")) is not None:
        return quoted
    if (escaped := token.group("escaped")) is not None:
        return escaped
    if token.group("space") is not None:
        return " "
    if (bracket := token.group("bracket")) is not None:
        # [$£-809] writes its symbol; colours, locales ([$-809]) and elapsed-time marks write nothing.
        return bracket[1:].split("-")[0] if bracket.startswith("$") else ""
    if (fill := token.group("fill")) is not None:
        return fill  # repeated to the column's width on screen: once is the text
    if token.group("text") is not None:
        return ""
    return token.group(0)


def _date(value: dt.datetime | dt.date | dt.time, section: str) -> str:
    tokens = list(_TOKEN.finditer(section))
    if not any(token.group("date") for token in tokens):
        if isinstance(value, dt.time):
            return f"{value:%H:%M:%S}"
        return f"{value.day} {value:%B %Y}"  # a date under a number format: say it plainly, not as a serial
    twelve_hour = any(token.group("ampm") for token in tokens)
    parts: list[str] = []
    for index, token in enumerate(tokens):
        if (code := token.group("date")) is not None:
            parts.append(_date_part(value, code.lower(), tokens, index, twelve_hour))
        elif (marker := token.group("ampm")) is not None:
            hour = getattr(value, "hour", 0)
            parts.append(("AM" if hour < 12 else "PM") if len(marker) > 3 else ("A" if hour < 12 else "P"))
        elif token.group("digits") is not None and token.group(0).startswith("."):
            microsecond = getattr(value, "microsecond", 0)
            parts.append("." + f"{microsecond:06d}"[: len(token.group(0)) - 1])
        else:
            parts.append(_literal(token))
    return "".join(parts)


def _date_part(
    value: dt.datetime | dt.date | dt.time, code: str, tokens: list[re.Match[str]], index: int, twelve_hour: bool
) -> str:
    kind, width = code[0], len(code)
    if kind == "m" and width <= 2 and _is_minutes(tokens, index):
        return f"{getattr(value, 'minute', 0):0{width}d}"
    if kind == "y":
        year = getattr(value, "year", 1900)
        return f"{year % 100:02d}" if width <= 2 else str(year)
    if kind == "m":
        month = getattr(value, "month", 1)
        return (str(month), f"{month:02d}", _MONTHS[month - 1][:3], _MONTHS[month - 1], _MONTHS[month - 1][0])[
            min(width, 5) - 1
        ]
    if kind == "d":
        day = getattr(value, "day", 1)
        if width <= 2:
            return f"{day:0{width}d}"
        weekday = _DAYS[value.weekday()] if isinstance(value, dt.date) else ""
        return weekday[:3] if width == 3 else weekday
    if kind == "h":
        hour = getattr(value, "hour", 0)
        if twelve_hour:
            hour = hour % 12 or 12
        return f"{hour:0{min(width, 2)}d}"
    return f"{getattr(value, 'second', 0):0{min(width, 2)}d}"


def _is_minutes(tokens: list[re.Match[str]], index: int) -> bool:
    """`m` or `mm` right after hours or right before seconds is minutes, as Excel reads it."""
    before = next((t.group("date") for t in reversed(tokens[:index]) if t.group("date")), "")
    after = next((t.group("date") for t in tokens[index + 1 :] if t.group("date")), "")
    return before[:1].lower() == "h" or after[:1].lower() == "s"
