"""A spreadsheet cell reads as Excel shows it: the approved text, not the number stored behind it."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl.styles.numbers import BUILTIN_FORMATS

from knowledge.importing.cell_formats import shown

ACCOUNTING = '_-£* #,##0.00_-;-£* #,##0.00_-;_-£* "-"??_-;_-@_-'  # Excel's UK accounting format


@pytest.mark.parametrize(
    ("value", "number_format", "text"),
    [
        (0.45, '"£"0.00', "£0.45"),
        (0.45, "[$£-809]#,##0.00", "£0.45"),
        (1500, ACCOUNTING, "£ 1,500.00"),
        (0, ACCOUNTING, "£ -"),
        (-12.5, "#,##0.00_);[Red](#,##0.00)", "(12.50)"),
        (1234567, "#,##0", "1,234,567"),
        (2500000, '#,##0,"k"', "2,500k"),
        (0.1, "0%", "10%"),
        (0.125, "0.0%", "12.5%"),
        (2.5, '0 "days"', "3 days"),  # Excel rounds half away from zero
        (3.25, "0.0", "3.3"),
        (5, "0.##", "5."),
        (0.5, "#.##", ".5"),
        (-3, "0", "-3"),
        (0.0, '0.00;-0.00;"none"', "none"),
        (28, "General", "28"),
        (28.0, "General", "28"),
        (0.1 + 0.2, "General", "0.3"),
        (7, "@", "7"),
        (True, "General", "TRUE"),
        ("Two sets, £0.45 a mile", "0.00", "Two sets, £0.45 a mile"),
        (None, "0.00", ""),
    ],
)
def test_a_number_reads_as_its_format_shows_it(value: object, number_format: str, text: str) -> None:
    assert shown(value, number_format) == text


WHEN = dt.datetime(2025, 3, 1, 14, 5, 9)


@pytest.mark.parametrize(
    ("number_format", "text"),
    [
        ("mm-dd-yy", "01/03/2025"),  # built-in 14: the system short date, day first in the UK
        ("m/d/yy h:mm", "01/03/2025 14:05"),
        ("dd/mm/yyyy", "01/03/2025"),
        ("d mmmm yyyy", "1 March 2025"),
        ("dddd d mmmm yyyy", "Saturday 1 March 2025"),
        ("[$-809]dd mmmm yyyy;@", "01 March 2025"),
        ("d-mmm-yy", "1-Mar-25"),
        ("mmm-yy", "Mar-25"),
        ("h:mm AM/PM", "2:05 PM"),
        ("hh:mm", "14:05"),
        ("yyyy-mm-dd hh:mm:ss", "2025-03-01 14:05:09"),
        ("General", "1 March 2025"),
    ],
)
def test_a_date_reads_as_its_format_shows_it(number_format: str, text: str) -> None:
    assert shown(WHEN, number_format) == text


def test_a_time_of_day_reads_in_minutes_not_months() -> None:
    assert shown(dt.time(9, 30), "h:mm") == "9:30"
    assert shown(dt.time(9, 30, 15), "mm:ss") == "30:15"


@pytest.mark.parametrize(
    ("builtin", "text"),
    [(5, "£1,235"), (7, "£1,234.50"), (42, "£ 1,235"), (44, "£ 1,234.50")],
)
def test_excels_own_currency_formats_show_pounds_as_a_uk_excel_shows_them(builtin: int, text: str) -> None:
    # A workbook names these by number; openpyxl spells them with '$', the US Excel's currency.
    assert shown(1234.5, BUILTIN_FORMATS[builtin]) == text


@pytest.mark.parametrize("number_format", ["0.00E+00", "# ?/?", "[>=100]0;0.0"])
def test_a_format_it_does_not_read_shows_the_value_as_general_does(number_format: str) -> None:
    assert shown(0.25, number_format) == "0.25"
