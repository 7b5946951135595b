#!/usr/bin/env python3
"""Checks the number-formatting benchmark tasks in this folder.

Every task file `<family>-<description>.csv` has a rule below, written with
exact decimal arithmetic (decimal.Decimal, never float): the rule maps the
input cells of a row to its output cell. The checker asserts, for every
file:

  * the name is lower case with hyphens and starts with a known family;
  * the bytes are UTF-8 without a byte order mark, lines end in "\\n" (no
    "\\r"), and writing the parsed rows back with Python's csv module
    (lineterminator="\\n") gives the same bytes, so quoting is RFC 4180;
  * a header of at least two columns (the last one is the output), then 8 to
    14 rows, each with as many cells as the header and none empty;
  * the output cell of every row equals the rule applied to its inputs;

and that every rule has a file, every file has a rule, each family has at
least 6 tasks and the suite has at least 64.

Run from the repository root:  python3 benchmarks/tasks/numbers/check_tasks.py
Exit status 0 when every task passes, 1 otherwise.
"""

import csv
import io
import os
import re
import sys
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

NEAR = ROUND_HALF_UP  # Python's ROUND_HALF_UP rounds a half away from zero
DOWN = ROUND_FLOOR
UP = ROUND_CEILING

FAMILIES = ("round", "step", "scale", "format", "bin", "mixed")
MIN_ROWS, MAX_ROWS = 8, 14
MIN_PER_FAMILY, MIN_TASKS = 6, 64

# ---------------------------------------------------------------------------
# Reading numbers.

NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def numbers(text):
    """The numbers in `text`, dot as the decimal point, a sign kept."""
    return [Decimal(m) for m in NUMBER.findall(text)]


def first_number(text):
    return numbers(text)[0]


def us_number(text):
    """A number written with comma thousands separators ("1,234.5")."""
    m = re.search(r"[-+]?\d[\d,]*(?:\.\d+)?", text)
    return Decimal(m.group(0).replace(",", ""))


def eu_number(text):
    """A number written European style ("1.234,5"): dot groups, comma point."""
    m = re.search(r"[-+]?\d[\d.]*(?:,\d+)?", text)
    return Decimal(m.group(0).replace(".", "").replace(",", "."))


# ---------------------------------------------------------------------------
# Rounding.


def rnd(x, places, mode=NEAR):
    """x rounded to `places` decimals (negative places: to tens, hundreds)."""
    return x.quantize(Decimal(1).scaleb(-places), rounding=mode)


def to_step(x, step, mode=NEAR):
    """x rounded to a multiple of `step`."""
    step = Decimal(step)
    return (x / step).quantize(Decimal(1), rounding=mode) * step


def bin_low(x, width, offset=0):
    """The low end of the bin of `width` (bins start at offset + n * width)."""
    width, offset = Decimal(width), Decimal(offset)
    return ((x - offset) / width).quantize(Decimal(1), rounding=DOWN) * width + offset


# ---------------------------------------------------------------------------
# Writing numbers.


def group(digits, style, sep):
    if style is None or len(digits) <= 3:
        return digits
    if style == "western":
        head, tail = digits[:-3], [digits[-3:]]
        while len(head) > 3:
            tail.insert(0, head[-3:])
            head = head[:-3]
        return sep.join([head] + tail)
    if style == "indian":  # last three digits, then groups of two
        head, tail = digits[:-3], [digits[-3:]]
        while len(head) > 2:
            tail.insert(0, head[-2:])
            head = head[:-2]
        return sep.join([head] + tail)
    raise ValueError(style)


def fmt(x, places=None, mode=NEAR, grouping=None, sep=",", point=".", width=0, sign="-"):
    """x written as text.

    places: fixed number of decimals (x is rounded with `mode` first); None
      writes the fewest decimals that show x exactly (no trailing zeros).
    grouping: None, "western" (1,234,567) or "indian" (12,34,567), with `sep`.
    point: the decimal point.   width: zero padding of the integer part.
    sign: "-" (minus on negatives), "+" (plus on positives too) or "paren"
      (negatives in parentheses, accounting style). A zero has no sign.
    """
    x = rnd(x, places, mode) if places is not None else x.normalize()
    if x == 0:
        x = x.copy_abs()
    text = format(x, "f")
    negative = text.startswith("-")
    integer, _, fraction = text.lstrip("-").partition(".")
    body = group(integer.zfill(width), grouping, sep) + (point + fraction if fraction else "")
    if negative:
        return "(" + body + ")" if sign == "paren" else "-" + body
    return "+" + body if sign == "+" and x != 0 else body


# ---------------------------------------------------------------------------
# The rules, one per task file.

RULES = {}


def task(name):
    def register(f):
        assert name not in RULES, name
        RULES[name] = f
        return f
    return register


# --- round: rounding to decimals or whole numbers ---------------------------

@task("round-price-two-decimals")
def _(price):
    return fmt(Decimal(price), 2)


@task("round-temperature-one-decimal")
def _(station, temp):
    return fmt(Decimal(temp), 1)


@task("round-grade-whole-number")
def _(student, average):
    return fmt(Decimal(average), 0)


@task("round-exchange-rate-four-decimals")
def _(pair, rate):
    return fmt(Decimal(rate), 4)


@task("round-gpa-truncate-one-decimal")
def _(student, gpa):
    return fmt(Decimal(gpa), 1, DOWN)


@task("round-elevation-change-whole-meters")
def _(segment, change):
    return fmt(Decimal(change), 0)


@task("round-stock-change-percent")
def _(ticker, change):
    return fmt(first_number(change), 2) + "%"


@task("round-lab-mass-three-decimals")
def _(sample, mass):
    return fmt(Decimal(mass), 3)


@task("round-invoice-total-whole-dollars")
def _(invoice, total):
    return "$" + fmt(us_number(total), 0, grouping="western")


@task("round-billing-minutes-up")
def _(call, minutes):
    return fmt(Decimal(minutes), 0, UP)


@task("round-longitude-three-decimals")
def _(city, longitude):
    return fmt(Decimal(longitude), 3)


@task("round-age-down-whole-years")
def _(patient, age):
    return fmt(Decimal(age), 0, DOWN)


# --- step: rounding to a multiple of a step --------------------------------

@task("step-cash-total-nearest-five-cents")
def _(receipt, total):
    return fmt(to_step(Decimal(total), "0.05"), 2)


@task("step-reserve-price-up-to-fifty")
def _(lot, estimate):
    return fmt(to_step(Decimal(estimate), 50, UP), 0)


@task("step-salary-nearest-thousand")
def _(employee, salary):
    return fmt(to_step(Decimal(salary), 1000), 0)


@task("step-population-nearest-hundred")
def _(town, population):
    return fmt(to_step(Decimal(population), 100), 0)


@task("step-billable-hours-up-to-half")
def _(task_name, hours):
    return fmt(to_step(Decimal(hours), "0.5", UP), 1)


@task("step-hours-nearest-quarter")
def _(employee, hours):
    return fmt(to_step(Decimal(hours), "0.25"), 2)


@task("step-loan-amount-down-to-hundred")
def _(applicant, requested):
    return fmt(to_step(Decimal(requested), 100, DOWN), 0)


@task("step-elevation-nearest-ten-feet")
def _(place, elevation):
    return fmt(to_step(Decimal(elevation), 10), 0)


@task("step-order-quantity-up-to-ten")
def _(product, units):
    return fmt(to_step(Decimal(units), 10, UP), 0)


@task("step-budget-up-to-thousand")
def _(department, estimate):
    return fmt(to_step(us_number(estimate), 1000, UP), 0, grouping="western")


@task("step-rating-nearest-half")
def _(product, rating):
    return fmt(to_step(Decimal(rating), "0.5"), 1)


@task("step-temperature-nearest-five")
def _(day, forecast):
    return fmt(to_step(Decimal(forecast), 5), 0)


# --- scale: multiplying by a power of ten ----------------------------------

@task("scale-percent-to-fraction")
def _(metric, rate):
    return fmt(first_number(rate).scaleb(-2))


@task("scale-fraction-to-percent-number")
def _(campaign, rate):
    return fmt(Decimal(rate).scaleb(2))


@task("scale-kg-to-grams")
def _(item, kg):
    return fmt(Decimal(kg).scaleb(3))


@task("scale-cents-to-dollars")
def _(transaction, cents):
    return fmt(Decimal(cents).scaleb(-2), 2)


@task("scale-meters-to-km-one-decimal")
def _(route, meters):
    return fmt(Decimal(meters).scaleb(-3), 1)


@task("scale-milliseconds-to-seconds")
def _(request, ms):
    return fmt(Decimal(ms).scaleb(-3), 3)


@task("scale-revenue-to-millions")
def _(company, revenue):
    return fmt(Decimal(revenue).scaleb(-6), 2)


@task("scale-basis-points-to-percent")
def _(bond, bps):
    return fmt(Decimal(bps).scaleb(-2), 2) + "%"


@task("scale-tonnes-to-kilograms")
def _(shipment, tonnes):
    return fmt(Decimal(tonnes).scaleb(3), grouping="western")


@task("scale-sensor-tenths-to-celsius")
def _(sensor, raw):
    return fmt(Decimal(raw).scaleb(-1), 1)


# --- format: reading and writing number formats ----------------------------

@task("format-thousands-separator-integer")
def _(city, population):
    return fmt(Decimal(population), grouping="western")


@task("format-thousands-two-decimals")
def _(invoice, amount):
    return fmt(Decimal(amount), 2, grouping="western")


@task("format-european-decimal-comma")
def _(product, value):
    return fmt(Decimal(value), grouping="western", sep=".", point=",")


@task("format-decimal-comma-to-dot")
def _(measurement, value):
    return fmt(eu_number(value))


@task("format-indian-grouping-rupees")
def _(account, amount):
    return "\u20b9" + fmt(Decimal(amount), 0, grouping="indian")


@task("format-indian-grouping-two-decimals")
def _(ledger, amount):
    return fmt(Decimal(amount), 2, grouping="indian")


@task("format-zero-pad-employee-id")
def _(name, number):
    return fmt(Decimal(number), width=5)


@task("format-zero-pad-country-code")
def _(country, code):
    return "+" + fmt(first_number(code), width=4)


@task("format-explicit-plus-sign")
def _(player, change):
    return fmt(Decimal(change), 2, sign="+")


@task("format-accounting-negatives")
def _(account, balance):
    return fmt(Decimal(balance), 2, grouping="western", sign="paren")


@task("format-scientific-notation-to-plain")
def _(sample, value):
    return fmt(Decimal(value))


@task("format-scientific-to-grouped")
def _(quantity, value):
    return fmt(Decimal(value), grouping="western")


@task("format-currency-symbol-removed")
def _(product, price):
    return fmt(us_number(price))


@task("format-euro-to-plain-number")
def _(order, total):
    return fmt(eu_number(total), 2)


@task("format-leading-zeros-removed")
def _(part, reading):
    return fmt(Decimal(reading))


@task("format-thousands-separators-removed")
def _(region, sales):
    return fmt(us_number(sales))


@task("format-invoice-number-zero-pad")
def _(customer, number):
    return "INV-" + fmt(Decimal(number), width=6)


# --- bin: the range of the bin that holds a value --------------------------

@task("bin-delivery-minutes-width-ten")
def _(order, minutes):
    low = bin_low(Decimal(minutes), 10)
    return fmt(low) + "-" + fmt(low + 9)


@task("bin-bmi-width-five")
def _(patient, bmi):
    low = bin_low(Decimal(bmi), 5)
    return fmt(low) + "-" + fmt(low + 5)


@task("bin-score-quarters-1-to-100")
def _(respondent, score):
    low = bin_low(Decimal(score), 25, offset=1)  # 1-25, 26-50, 51-75, 76-100
    return fmt(low) + "-" + fmt(low + 24)


@task("bin-first-reading-width-ten")
def _(device, readings):
    low = bin_low(first_number(readings), 10)
    return fmt(low) + "-" + fmt(low + 10)


@task("bin-age-decade")
def _(name, age):
    low = bin_low(first_number(age), 10)
    return fmt(low) + "-" + fmt(low + 9)


@task("bin-exam-score-decade")
def _(student, score):
    low = bin_low(Decimal(score), 10)
    return fmt(low) + "-" + fmt(low + 9)


@task("bin-price-range-hundred-dollars")
def _(product, price):
    low = bin_low(Decimal(price), 100)
    return "$" + fmt(low) + "-$" + fmt(low + 100)


@task("bin-salary-band-ten-thousand")
def _(employee, salary):
    low = bin_low(Decimal(salary), 10000)
    return fmt(low, grouping="western") + "-" + fmt(low + 9999, grouping="western")


@task("bin-ph-half-unit")
def _(sample, ph):
    low = bin_low(Decimal(ph), "0.5")
    return fmt(low, 1) + "-" + fmt(low + Decimal("0.5"), 1)


@task("bin-temperature-width-ten")
def _(city, temp):
    low = bin_low(Decimal(temp), 10)
    return fmt(low) + " to " + fmt(low + 10)


@task("bin-calories-width-250")
def _(meal, calories):
    low = bin_low(Decimal(calories), 250)
    return fmt(low) + "-" + fmt(low + 249)


# --- mixed: numbers mixed with text ----------------------------------------

@task("mixed-points-one-decimal")
def _(player, score):
    return fmt(Decimal(score), 1) + " pts"


@task("mixed-dimensions-two-numbers")
def _(room, size):
    width, length = numbers(size)
    return fmt(width, 1) + " x " + fmt(length, 1)


@task("mixed-thousands-k-suffix")
def _(deal, amount):
    return "$" + fmt(Decimal(amount).scaleb(-3), 1) + "K"


@task("mixed-comma-pair-to-time")
def _(shift, start):
    hours, minutes = numbers(start)
    return fmt(hours, width=2) + ":" + fmt(minutes, width=2)


@task("mixed-height-cm-to-meters-label")
def _(person, height):
    return fmt(Decimal(height).scaleb(-2), 2) + " m"


@task("mixed-total-from-sentence")
def _(receipt, note):
    return fmt(first_number(note), 2, grouping="western")


@task("mixed-name-and-percent-score")
def _(name, score):
    return name + ": " + fmt(Decimal(score).scaleb(2), 0) + "%"


@task("mixed-sku-and-price")
def _(sku, price):
    return sku + " @ $" + fmt(Decimal(price), 2)


@task("mixed-coordinates-two-decimals")
def _(city, coordinates):
    lat, lon = numbers(coordinates)
    return "(" + fmt(lat, 2) + ", " + fmt(lon, 2) + ")"


@task("mixed-signed-percent-change")
def _(metric, change):
    return fmt(Decimal(change).scaleb(2), 1, sign="+") + "%"


@task("mixed-order-id-from-sentence")
def _(status):
    return "ORD-" + fmt(first_number(status), width=5)


@task("mixed-millimeters-to-centimeters-label")
def _(part, length):
    return fmt(first_number(length).scaleb(-1), 2) + " cm"


@task("mixed-population-millions")
def _(city, population):
    return fmt(Decimal(population).scaleb(-6), 2) + "M"


# ---------------------------------------------------------------------------
# Checking.

NAME = re.compile(r"^(%s)-[a-z0-9]+(?:-[a-z0-9]+)*\.csv$" % "|".join(FAMILIES))


def write_csv(rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def check_file(path):
    """Returns (rows checked, list of problems) for one task file."""
    problems = []
    name = os.path.basename(path)
    if not NAME.match(name):
        problems.append("file name is not <family>-<lower-case-words>.csv")
    rule = RULES.get(name[:-4])
    if rule is None:
        return 0, problems + ["no rule for this file"]
    data = open(path, "rb").read()
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append("starts with a byte order mark")
    if b"\r" in data:
        problems.append("has a carriage return")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return 0, problems + ["not UTF-8: %s" % e]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if write_csv(rows) != text:
        problems.append("not exactly as Python's csv module writes it (lineterminator='\\n')")
    if not rows or len(rows[0]) < 2:
        return 0, problems + ["the header needs at least two columns"]
    header, body = rows[0], rows[1:]
    if any(not h for h in header):
        problems.append("empty header cell")
    if not MIN_ROWS <= len(body) <= MAX_ROWS:
        problems.append("%d rows, want %d to %d" % (len(body), MIN_ROWS, MAX_ROWS))
    for i, row in enumerate(body, start=2):
        if len(row) != len(header):
            problems.append("line %d: %d cells, header has %d" % (i, len(row), len(header)))
            continue
        if any(cell == "" for cell in row):
            problems.append("line %d: empty cell" % i)
            continue
        try:
            want = rule(*row[:-1])
        except Exception as e:  # a rule that cannot read the row is a failure too
            problems.append("line %d: rule failed on %r: %r" % (i, row[:-1], e))
            continue
        if row[-1] != want:
            problems.append("line %d: inputs %r give %r, file says %r" % (i, row[:-1], want, row[-1]))
    return len(body), problems


def main():
    folder = os.path.dirname(os.path.abspath(__file__))
    files = sorted(f for f in os.listdir(folder) if f.endswith(".csv"))
    failed, checked = 0, 0
    for f in files:
        rows, problems = check_file(os.path.join(folder, f))
        checked += rows
        if problems:
            failed += 1
            print("FAIL %s" % f)
            for p in problems:
                print("  " + p)
    present = {f[:-4] for f in files}
    missing = sorted(set(RULES) - present)
    for m in missing:
        print("FAIL %s.csv: a rule without a file" % m)
    counts = {fam: sum(1 for f in files if f.startswith(fam + "-")) for fam in FAMILIES}
    short = [fam for fam, n in counts.items() if n < MIN_PER_FAMILY]
    for fam in short:
        print("FAIL family %s has %d tasks, want at least %d" % (fam, counts[fam], MIN_PER_FAMILY))
    if len(files) < MIN_TASKS:
        print("FAIL %d tasks, want at least %d" % (len(files), MIN_TASKS))
    print("tasks per family: " + ", ".join("%s %d" % (fam, counts[fam]) for fam in FAMILIES))
    if failed or missing or short or len(files) < MIN_TASKS:
        print("%d of %d tasks failed" % (failed + len(missing), len(files) + len(missing)))
        return 1
    print("all %d tasks pass (%d rows checked)" % (len(files), checked))
    return 0


if __name__ == "__main__":
    sys.exit(main())
