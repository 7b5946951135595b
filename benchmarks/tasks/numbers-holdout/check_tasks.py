#!/usr/bin/env python3
"""Checker for the numbers-holdout benchmark suite.

Every CSV task file in this folder has a rule below, written with
decimal.Decimal only (never float).  For each file the checker

  * checks the format: UTF-8 without BOM, no '\\r', '\\n' line endings, exact
    bytes as Python's csv module writes them (lineterminator='\\n'), the
    expected header, 9 to 12 data rows, every row as wide as the header, no
    empty or blank cells, no duplicate rows, a file name
    <family>-<description>.csv in lower case with hyphens;
  * recomputes the output (last column) of every row from the input cells with
    the task's rule and compares it with the file, character for character.

It also checks that the set of CSV files equals the set of rules.  It prints
a summary and exits non-zero on any failure.

Usage: python3 check_tasks.py [folder]   (default: the folder of this script)
"""

import csv
import io
import os
import re
import sys
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, getcontext

getcontext().prec = 60

FAMILIES = ("round", "step", "scale", "format", "bin", "text")
MIN_ROWS, MAX_ROWS = 9, 12
NAME_RE = re.compile(r"^(round|step|scale|format|bin|text)-[a-z0-9]+(?:-[a-z0-9]+)*\.csv$")

# --------------------------------------------------------------------------
# Reading numbers
# --------------------------------------------------------------------------

PLAIN_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# An unsigned number inside text: either grouped with ',' (1,234,567.89) or plain.
INNER_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
EUROPEAN_RE = re.compile(r"-?\d{1,3}(?:\.\d{3})*,\d+")


def num(cell):
    """The whole cell is one plain number (scientific notation allowed)."""
    s = cell.strip()
    if not PLAIN_RE.fullmatch(s):
        raise ValueError(f"not a plain number: {cell!r}")
    return Decimal(s)


def numbers_in(text):
    """All unsigned numbers in a piece of text, thousands commas removed."""
    return [Decimal(m.replace(",", "")) for m in INNER_RE.findall(text)]


def european(cell):
    """'-1.234,56 €' -> Decimal('-1234.56'): '.' groups thousands, ',' is the decimal mark."""
    s = cell.replace("€", "").strip()
    if not EUROPEAN_RE.fullmatch(s):
        raise ValueError(f"not a European-format amount: {cell!r}")
    return Decimal(s.replace(".", "").replace(",", "."))


# --------------------------------------------------------------------------
# Rounding
# --------------------------------------------------------------------------

def round_dp(x, places, mode=ROUND_HALF_UP):
    """Round to `places` decimals; ROUND_HALF_UP is half away from zero."""
    return x.quantize(Decimal(1).scaleb(-places), rounding=mode)


def round_step(x, step, mode=ROUND_HALF_UP):
    """Round to a multiple of `step` (nearest half-away-from-zero, floor or ceiling)."""
    step = Decimal(step)
    return (x / step).quantize(Decimal(1), rounding=mode) * step


# --------------------------------------------------------------------------
# Writing numbers
# --------------------------------------------------------------------------

def _group(digits, sep, indian):
    if indian and len(digits) > 3:
        head, parts = digits[:-3], [digits[-3:]]
        while len(head) > 2:
            parts.insert(0, head[-2:])
            head = head[:-2]
        if head:
            parts.insert(0, head)
        return sep.join(parts)
    parts = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return sep.join(parts)


def show(x, places=None, sep="", mark=".", indian=False, pad=0, sign="minus"):
    """Write x.

    places: None -> as many decimals as the value needs (trailing zeros dropped);
            "keep" -> the decimals x carries; an int -> exactly that many decimals
            (x must already be rounded to that many, this never rounds).
    sep: thousands separator ("" for none); indian: 2-digit groups above the
    last 3 digits; mark: decimal mark; pad: zero-pad the integer part to this
    width; sign: "minus" (-5), "plus" (+5 / -5, zero unsigned) or "parens" ((5)).
    A value that is zero is never written with a sign.
    """
    if places is None:
        x = x.normalize()
    elif places != "keep":
        q = x.quantize(Decimal(1).scaleb(-places))
        if q != x:
            raise AssertionError(f"show(): {x} is not rounded to {places} decimals")
        x = q
    negative = x < 0
    body = format(abs(x), "f")
    int_part, _, frac = body.partition(".")
    int_part = int_part.zfill(pad)
    if sep:
        int_part = _group(int_part, sep, indian)
    text = int_part + (mark + frac if frac else "")
    if negative:
        return f"({text})" if sign == "parens" else "-" + text
    if sign == "plus" and x != 0:
        return "+" + text
    return text


# --------------------------------------------------------------------------
# Family 1: rounding to a number of decimals
# --------------------------------------------------------------------------

def round_lab_result_one_decimal(r):
    return show(round_dp(num(r[1]), 1), 1)


def round_price_change_signed_two_decimals(r):
    return show(round_dp(num(r[1]), 2), 2, sign="plus")


def round_timesheet_hours_whole(r):
    return show(round_dp(num(r[1]), 0), 0)


def round_exam_score_floor(r):
    return show(round_dp(num(r[1]), 0, ROUND_FLOOR), 0)


def round_salary_whole_grouped(r):
    return show(round_dp(num(r[1]), 0), 0, sep=",")


def round_parcel_weight_up_one_decimal(r):
    return show(round_dp(num(r[1]), 1, ROUND_CEILING), 1)


def round_interest_rate_three_decimals(r):
    return show(round_dp(num(r[1]), 3), 3)


# --------------------------------------------------------------------------
# Family 2: rounding to a multiple of a step
# --------------------------------------------------------------------------

def step_cash_rounding_nearest_005(r):
    return show(round_step(num(r[1]), "0.05"), 2)


def step_vote_count_nearest_100(r):
    return show(round_step(num(r[1]), "100"), 0)


def step_billable_quarter_hour_up(r):
    return show(round_step(num(r[1]), "0.25", ROUND_CEILING), 2)


def step_shipping_weight_up_half_kg(r):
    return show(round_step(num(r[1]), "0.5", ROUND_CEILING))


def step_budget_variance_nearest_25(r):
    return show(round_step(num(r[1]), "25"), 0)


def step_taxable_income_down_100(r):
    return show(round_step(num(r[1]), "100", ROUND_FLOOR), 0)


def step_temperature_nearest_half(r):
    return show(round_step(num(r[1]), "0.5"), 1)


# --------------------------------------------------------------------------
# Family 3: scaling by a power of ten
# --------------------------------------------------------------------------

def scale_cents_to_dollars(r):
    return show(num(r[1]).scaleb(-2), 2)


def scale_fraction_to_percent_one_decimal(r):
    return show(round_dp(num(r[1]).scaleb(2), 1), 1) + "%"


def scale_percent_to_fraction(r):
    return show(num(r[1]).scaleb(-2))


def scale_bytes_to_megabytes(r):
    return show(round_dp(num(r[1]).scaleb(-6), 1), 1)


def scale_metres_to_km(r):
    return show(round_dp(num(r[1]).scaleb(-3), 2), 2)


def scale_population_millions(r):
    return show(round_dp(num(r[1]).scaleb(-6), 1), 1)


def scale_dollars_to_cents(r):
    return show(round_dp(num(r[1]).scaleb(2), 0), 0)


# --------------------------------------------------------------------------
# Family 4: reading and writing formats
# --------------------------------------------------------------------------

def format_add_thousands_separators(r):
    return show(num(r[1]), 0, sep=",")


def format_european_amount_to_plain(r):
    return show(european(r[1]), "keep")


def format_invoice_amount_german(r):
    return show(round_dp(num(r[1]), 2), 2, sep=".", mark=",") + " €"


def format_indian_grouping(r):
    return show(num(r[1]), 0, sep=",", indian=True)


def format_zip_code_zero_pad(r):
    return show(num(r[1]), 0, pad=5)


def format_accounting_parentheses(r):
    return show(round_dp(num(r[1]), 2), 2, sep=",", sign="parens")


def format_scientific_to_plain(r):
    return show(num(r[1]))


# --------------------------------------------------------------------------
# Family 5: bins and ranges
# --------------------------------------------------------------------------

def bin_systolic_pressure_10(r):
    low = round_step(num(r[1]), "10", ROUND_FLOOR)
    return f"{show(low, 0)}-{show(low + 9, 0)}"


def bin_customer_age_5(r):
    low = round_step(num(r[1]), "5", ROUND_FLOOR)
    return f"{show(low, 0)}-{show(low + 5, 0)}"


def bin_survey_score_quarters(r):
    low = round_step(num(r[1]) - 1, "25", ROUND_FLOOR) + 1
    return f"{show(low, 0)}-{show(low + 24, 0)}"


def bin_income_bracket_10000(r):
    low = round_step(num(r[1]), "10000", ROUND_FLOOR)
    return f"{show(low, 0, sep=',')}-{show(low + 9999, 0, sep=',')}"


def bin_temperature_2_5_degrees(r):
    low = round_step(num(r[1]), "2.5", ROUND_FLOOR)
    return f"{show(low, 1)} to {show(low + Decimal('2.5'), 1)}"


def bin_delivery_distance_50km(r):
    low = round_step(num(r[1]), "50", ROUND_FLOOR)
    return f"{show(low, 0)}-{show(low + 49, 0)} km"


# --------------------------------------------------------------------------
# Family 6: numbers mixed with text
# --------------------------------------------------------------------------

def text_weight_with_unit(r):
    return show(round_dp(num(r[1]), 1), 1) + " kg"


def text_refund_amount_from_memo(r):
    return show(round_dp(numbers_in(r[0])[-1], 2), 2)


def text_pallet_mm_to_cm(r):
    a, b = numbers_in(r[1])[:2]
    return f"{show(a.scaleb(-1))} x {show(b.scaleb(-1))} cm"


def text_currency_code_amount(r):
    return r[0] + " " + show(round_dp(num(r[1]), 2), 2, sep=",")


def text_ticket_number_strip_zeros(r):
    m = re.fullmatch(r"TCK-(\d+)", r[0])
    if not m:
        raise ValueError(f"not a ticket id: {r[0]!r}")
    return show(Decimal(m.group(1)), 0)


def text_player_points_per_game(r):
    return f"{r[0]}: {show(round_dp(numbers_in(r[1])[1], 1), 1)} ppg"


# --------------------------------------------------------------------------
# Task table: file -> (header, rule, rule in words)
# --------------------------------------------------------------------------

TASKS = {
    # rounding to decimals
    "round-lab-result-one-decimal.csv": (
        ["Analyte", "Raw value", "Reported value"], round_lab_result_one_decimal,
        "raw value rounded half away from zero to 1 decimal, always shown with 1 decimal"),
    "round-price-change-signed-two-decimals.csv": (
        ["Ticker", "Change", "Change (display)"], round_price_change_signed_two_decimals,
        "change rounded half away from zero to 2 decimals, 2 decimals shown, explicit + on positives"),
    "round-timesheet-hours-whole.csv": (
        ["Employee", "Hours worked", "Hours (rounded)"], round_timesheet_hours_whole,
        "decimal hours rounded half away from zero to a whole number"),
    "round-exam-score-floor.csv": (
        ["Student", "Score (%)", "Reported score"], round_exam_score_floor,
        "score truncated (floor) to a whole number"),
    "round-salary-whole-grouped.csv": (
        ["Employee ID", "Annual salary", "Salary (whole)"], round_salary_whole_grouped,
        "salary rounded half away from zero to a whole number, written with ',' thousands separators"),
    "round-parcel-weight-up-one-decimal.csv": (
        ["Parcel", "Weight (kg)", "Billed weight (kg)"], round_parcel_weight_up_one_decimal,
        "weight rounded up (ceiling) to 1 decimal, 1 decimal shown"),
    "round-interest-rate-three-decimals.csv": (
        ["Fixing date", "Raw rate (%)", "Rate (%)"], round_interest_rate_three_decimals,
        "rate (may be negative) rounded half away from zero to 3 decimals, 3 decimals shown"),
    # rounding to a step
    "step-cash-rounding-nearest-005.csv": (
        ["Receipt", "Total (CHF)", "Cash total (CHF)"], step_cash_rounding_nearest_005,
        "total rounded to the nearest 0.05 (ties away from zero), 2 decimals shown"),
    "step-vote-count-nearest-100.csv": (
        ["District", "Votes", "Votes (nearest 100)"], step_vote_count_nearest_100,
        "count rounded to the nearest 100 (ties away from zero), no separators"),
    "step-billable-quarter-hour-up.csv": (
        ["Task", "Hours", "Billable hours"], step_billable_quarter_hour_up,
        "hours rounded up (ceiling) to a multiple of 0.25, 2 decimals shown"),
    "step-shipping-weight-up-half-kg.csv": (
        ["Order", "Weight (kg)", "Charged weight (kg)"], step_shipping_weight_up_half_kg,
        "weight rounded up (ceiling) to a multiple of 0.5, written without trailing zeros (4, 4.5)"),
    "step-budget-variance-nearest-25.csv": (
        ["Cost center", "Variance (EUR)", "Variance (nearest 25)"], step_budget_variance_nearest_25,
        "signed variance rounded to the nearest multiple of 25, ties away from zero, whole number"),
    "step-taxable-income-down-100.csv": (
        ["Taxpayer", "Income", "Taxable income (rounded down)"], step_taxable_income_down_100,
        "income rounded down (floor) to a multiple of 100, whole number, no separators"),
    "step-temperature-nearest-half.csv": (
        ["Station", "Reading (°C)", "Display (°C)"], step_temperature_nearest_half,
        "signed reading rounded to the nearest 0.5, ties away from zero, 1 decimal shown"),
    # scaling by a power of ten
    "scale-cents-to-dollars.csv": (
        ["Transaction", "Amount (cents)", "Amount (USD)"], scale_cents_to_dollars,
        "integer cents divided by 100, 2 decimals shown"),
    "scale-fraction-to-percent-one-decimal.csv": (
        ["Region", "Growth (fraction)", "Growth (%)"], scale_fraction_to_percent_one_decimal,
        "fraction times 100, rounded half away from zero to 1 decimal, 1 decimal shown, '%' appended"),
    "scale-percent-to-fraction.csv": (
        ["Product", "Tax rate (%)", "Tax rate"], scale_percent_to_fraction,
        "percent divided by 100, written with as many decimals as needed (100 -> 1)"),
    "scale-bytes-to-megabytes.csv": (
        ["File", "Size (bytes)", "Size (MB)"], scale_bytes_to_megabytes,
        "bytes divided by 1,000,000, rounded half away from zero to 1 decimal, 1 decimal shown"),
    "scale-metres-to-km.csv": (
        ["Route", "Distance (m)", "Distance (km)"], scale_metres_to_km,
        "metres divided by 1000, rounded half away from zero to 2 decimals, 2 decimals shown"),
    "scale-population-millions.csv": (
        ["Municipality", "Population", "Population (millions)"], scale_population_millions,
        "count divided by 1,000,000, rounded half away from zero to 1 decimal, 1 decimal shown"),
    "scale-dollars-to-cents.csv": (
        ["Item", "Price (USD)", "Price (cents)"], scale_dollars_to_cents,
        "dollars times 100, rounded half away from zero to a whole number"),
    # formats
    "format-add-thousands-separators.csv": (
        ["Account", "Balance", "Balance (formatted)"], format_add_thousands_separators,
        "integer written with ',' thousands separators"),
    "format-european-amount-to-plain.csv": (
        ["Booking text", "Amount", "Amount (plain)"], format_european_amount_to_plain,
        "'1.234,56 €' -> '1234.56': euro sign and '.' groups removed, decimal comma to point, decimals kept"),
    "format-invoice-amount-german.csv": (
        ["Invoice", "Amount (EUR)", "Amount (German format)"], format_invoice_amount_german,
        "rounded half away from zero to 2 decimals, '.' thousands groups, ',' decimal mark, ' €' appended"),
    "format-indian-grouping.csv": (
        ["Scheme", "Amount (INR)", "Amount (Indian format)"], format_indian_grouping,
        "integer written with Indian grouping (12,34,567)"),
    "format-zip-code-zero-pad.csv": (
        ["City", "ZIP (as number)", "ZIP code"], format_zip_code_zero_pad,
        "integer zero-padded to 5 digits"),
    "format-accounting-parentheses.csv": (
        ["Line item", "Amount", "Amount (accounting)"], format_accounting_parentheses,
        "rounded half away from zero to 2 decimals, ',' thousands groups, negatives in parentheses without '-'"),
    "format-scientific-to-plain.csv": (
        ["Sample", "Value (instrument export)", "Value"], format_scientific_to_plain,
        "scientific notation (1.50E+03) written as a plain number without trailing zeros (1500)"),
    # bins
    "bin-systolic-pressure-10.csv": (
        ["Patient", "Systolic (mmHg)", "Range"], bin_systolic_pressure_10,
        "integer binned by 10: 'low-high' with low = floor to 10, high = low + 9 (140-149)"),
    "bin-customer-age-5.csv": (
        ["Customer", "Age", "Age group"], bin_customer_age_5,
        "half-open 5-year bin [low, low+5) written 'low-high' (35 -> 35-40)"),
    "bin-survey-score-quarters.csv": (
        ["Respondent", "Score (1-100)", "Score band"], bin_survey_score_quarters,
        "score 1-100 in bands 1-25, 26-50, 51-75, 76-100"),
    "bin-income-bracket-10000.csv": (
        ["Household", "Income (USD)", "Income bracket"], bin_income_bracket_10000,
        "bracket of 10,000: 'low-high' with high = low + 9,999, both with ',' thousands separators"),
    "bin-temperature-2-5-degrees.csv": (
        ["Timestamp", "Temperature (°C)", "Band (°C)"], bin_temperature_2_5_degrees,
        "half-open 2.5-degree band (floor, negatives included) written 'low to high' with 1 decimal"),
    "bin-delivery-distance-50km.csv": (
        ["Shipment", "Distance (km)", "Distance band"], bin_delivery_distance_50km,
        "integer binned by 50: 'low-high km' with high = low + 49"),
    # numbers mixed with text
    "text-weight-with-unit.csv": (
        ["Parcel", "Weight", "Label"], text_weight_with_unit,
        "rounded half away from zero to 1 decimal, 1 decimal shown, ' kg' appended"),
    "text-refund-amount-from-memo.csv": (
        ["Memo", "Refund amount"], text_refund_amount_from_memo,
        "last number of the memo (the $ amount, ',' groups removed), 2 decimals shown"),
    "text-pallet-mm-to-cm.csv": (
        ["Pallet", "Size (mm)", "Size (cm)"], text_pallet_mm_to_cm,
        "both numbers of 'AxB mm' divided by 10, no trailing zeros, written 'a x b cm'"),
    "text-currency-code-amount.csv": (
        ["Currency", "Amount", "Display"], text_currency_code_amount,
        "currency code from column 1, a space, amount rounded half away from zero to 2 decimals with ',' groups"),
    "text-ticket-number-strip-zeros.csv": (
        ["Ticket", "Subject", "Ticket number"], text_ticket_number_strip_zeros,
        "digits after 'TCK-' with leading zeros removed (the subject column is ignored)"),
    "text-player-points-per-game.csv": (
        ["Player", "Season line", "Summary"], text_player_points_per_game,
        "player name, ': ', second number of the season line rounded half away from zero to 1 decimal, ' ppg'"),
}


# --------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------

def serialize(rows):
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerows(rows)
    return buf.getvalue()


def check_file(path, header, rule):
    """Return (number of data rows, list of problems)."""
    problems = []
    name = os.path.basename(path)
    if not NAME_RE.match(name):
        problems.append("file name is not <family>-<description>.csv in lower case with hyphens")
    with open(path, "rb") as f:
        raw = f.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append("starts with a UTF-8 BOM")
    if b"\r" in raw:
        problems.append("contains '\\r'")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return 0, problems + [f"not UTF-8: {e}"]
    if not text.endswith("\n"):
        problems.append("does not end with '\\n'")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if serialize(rows) != text:
        problems.append("bytes differ from what csv.writer(lineterminator='\\n') writes for the same rows")
    if not rows:
        return 0, problems + ["empty file"]
    if rows[0] != header:
        problems.append(f"header {rows[0]!r} != expected {header!r}")
    data = rows[1:]
    if not MIN_ROWS <= len(data) <= MAX_ROWS:
        problems.append(f"{len(data)} data rows, expected {MIN_ROWS} to {MAX_ROWS}")
    seen = set()
    for i, row in enumerate(data, start=2):
        if len(row) != len(header):
            problems.append(f"line {i}: {len(row)} cells, header has {len(header)}")
            continue
        if any(c.strip() == "" for c in row):
            problems.append(f"line {i}: empty cell in {row!r}")
            continue
        if tuple(row) in seen:
            problems.append(f"line {i}: duplicate row {row!r}")
        seen.add(tuple(row))
        try:
            expected = rule(row[:-1])
        except Exception as e:  # a rule that cannot read its input is a failure
            problems.append(f"line {i}: rule failed on {row[:-1]!r}: {type(e).__name__}: {e}")
            continue
        if expected != row[-1]:
            problems.append(f"line {i}: inputs {row[:-1]!r}: file has {row[-1]!r}, rule gives {expected!r}")
    return len(data), problems


def main(argv):
    folder = argv[1] if len(argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    files = sorted(f for f in os.listdir(folder) if f.endswith(".csv"))
    failures = 0
    for f in sorted(set(TASKS) - set(files)):
        print(f"FAIL {f}: rule has no file")
        failures += 1
    for f in sorted(set(files) - set(TASKS)):
        print(f"FAIL {f}: file has no rule")
        failures += 1
    per_family = {fam: 0 for fam in FAMILIES}
    rows_total = 0
    for f in files:
        if f not in TASKS:
            continue
        header, rule, _ = TASKS[f]
        n, problems = check_file(os.path.join(folder, f), header, rule)
        rows_total += n
        per_family[f.split("-", 1)[0]] = per_family.get(f.split("-", 1)[0], 0) + 1
        if problems:
            failures += 1
            print(f"FAIL {f}")
            for p in problems:
                print(f"     {p}")
        else:
            print(f"ok   {f} ({n} rows)")
    print()
    print("tasks per family: " + ", ".join(f"{k} {v}" for k, v in per_family.items()))
    print(f"{len(files)} files, {rows_total} data rows, {failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
