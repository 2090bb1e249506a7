"""Tests for reading typed answers and judging them with the precision rule."""

import ast
import doctest
import inspect
import math
import time
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
import sympy
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from lab_utils_backprop.exercise import answers, reading
from lab_utils_backprop.exercise.answers import AnswerError, AnswerResult, check, format_number, parse_answer

R = sympy.Rational
SIGMOID = (1 / (1 + sympy.exp(2))).evalf(30)  # 0.11920292202211755...
THIRD = (sympy.Integer(1) / 3).evalf(30)
BIG = sympy.Float("12345.678", 30)
NEAR_22 = (22 + sympy.exp(-7)).evalf(30)  # 22.000911881965554...

PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def box(answer):
    return SimpleNamespace(answer=answer)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("66", R(66)),
        ("0", R(0)),
        ("-0", R(0)),
        ("4.5", R(9, 2)),
        ("4.50", R(9, 2)),
        (".5", R(1, 2)),
        ("5.", R(5)),
        ("+4.5", R(9, 2)),
        ("-4.5", R(-9, 2)),
        ("\u22124.5", R(-9, 2)),
        ("- 4.5", R(-9, 2)),
        ("9/2", R(9, 2)),
        ("-3/4", R(-3, 4)),
        ("\u22123/4", R(-3, 4)),
        ("9 / 2", R(9, 2)),
        ("6/3", R(2)),
        ("2.2e1", R(22)),
        ("2.2E-1", R(11, 50)),
        ("2.2e\u22121", R(11, 50)),
        ("1e300", sympy.Integer(10) ** 300),
        ("1e-300", R(1, 10**300)),
        ("  4.5  ", R(9, 2)),
        ("\t4.5\n", R(9, 2)),
        (" " * 1000 + "4.5", R(9, 2)),
        ("1" * 100, sympy.Integer("1" * 100)),
    ],
)
def test_parse_accepts(text, expected):
    value = parse_answer(text)
    assert value == expected
    assert isinstance(value, sympy.Rational)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Type a number first, such as 4.5 or 9/2."),
        ("   \t\n", "Type a number first, such as 4.5 or 9/2."),
        ("4,5", "Use a dot for decimals: 4.5, not 4,5."),
        ("-0,25", "Use a dot for decimals: 4.5, not 4,5."),
        ("1,000", "Use a dot for decimals: 4.5, not 4,5."),
        ("\u0664", "Type the number with the digits 0-9, such as 4.5 or 9/2."),  # Arabic-Indic 4
        ("\u0664.\u0665", "Type the number with the digits 0-9, such as 4.5 or 9/2."),
        ("\uff14.\uff15", "Type the number with the digits 0-9, such as 4.5 or 9/2."),  # fullwidth
        ("\u00bd", "Type the number with the digits 0-9, such as 4.5 or 9/2."),  # ½
        ("2\u00b2", "Type the number with the digits 0-9, such as 4.5 or 9/2."),  # ²
        ("1/0", "A fraction cannot have 0 at the bottom: type a number such as 9/2."),
        ("-5/000", "A fraction cannot have 0 at the bottom: type a number such as 9/2."),
        ("nan", "That is not a number: type one such as 4.5 or 9/2."),
        ("NaN", "That is not a number: type one such as 4.5 or 9/2."),
        ("inf", "That number is too large: type a finite number such as 4.5 or 9/2."),
        ("-Infinity", "That number is too large: type a finite number such as 4.5 or 9/2."),
        ("1e999", "That number is too large: use an exponent of at most 300."),
        ("1e301", "That number is too large: use an exponent of at most 300."),
        ("1e999999999", "That number is too large: use an exponent of at most 300."),
        ("1e-999", "That number is too small: use an exponent of at least -300."),
        ("0x10", "Write the number in ordinary decimal digits, such as 16 rather than 0x10."),
        ("0b101", "Write the number in ordinary decimal digits, such as 16 rather than 0x10."),
        ("1_000", "Leave out the underscores: type 1000, not 1_000."),
        ("1_000.5", "Leave out the underscores: type 1000, not 1_000."),
        ("9/-2", "Put the sign in front of the fraction: type -9/2, not 9/-2."),
        ("4.5/1.5", "Write a fraction with whole numbers, such as 9/2."),
        ("2*3", "Type just the number, not a calculation: work it out first (6, not 2*3)."),
        ("2+3", "Type just the number, not a calculation: work it out first (6, not 2*3)."),
        ("2^3", "Type just the number, not a calculation: work it out first (6, not 2*3)."),
        ("1/2/3", "Type just the number, not a calculation: work it out first (6, not 2*3)."),
        ("sqrt(2)", "Type just the number, not a calculation: work it out first (6, not 2*3)."),
        ("__import__('os')", "Type just the number, not a calculation: work it out first (6, not 2*3)."),
        ("--5", "Type just the number, not a calculation: work it out first (6, not 2*3)."),
        ("x" * 101, "That is too long for a number: use at most 100 characters."),
        ("1" * 101, "That is too long for a number: use at most 100 characters."),
        ("abc", "Type a number such as 4.5 or 9/2."),
        ("4 5", "Type a number such as 4.5 or 9/2."),
        (".", "Type a number such as 4.5 or 9/2."),
        ("e5", "Type a number such as 4.5 or 9/2."),
        ("5e", "Type a number such as 4.5 or 9/2."),
        ("4.5.1", "Type a number such as 4.5 or 9/2."),
    ],
)
def test_parse_rejects_with_a_helpful_message(text, message):
    with pytest.raises(AnswerError) as raised:
        parse_answer(text)
    assert str(raised.value) == message
    result = check(box(R(9, 2)), text)
    assert (result.correct, result.is_number, result.value, result.message) == (False, False, None, message)


def test_answer_error_is_a_value_error():
    assert issubclass(AnswerError, ValueError)


def test_parse_answer_wants_a_string():
    with pytest.raises(TypeError):
        parse_answer(4.5)


def test_absurd_exponents_are_refused_before_building_the_number():
    start = time.perf_counter()
    for text in ["1e" + "9" * 98, "9" * 50 + "e" + "9" * 49, "1e-" + "9" * 97]:
        with pytest.raises(AnswerError):
            parse_answer(text)
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize(
    ("answer", "text", "correct"),
    [
        (R(9, 2), "4.5", True),
        (R(9, 2), "4.50", True),
        (R(9, 2), "+4.5", True),
        (R(9, 2), "9/2", True),
        (R(9, 2), "18/4", True),
        (R(9, 2), "45e-1", True),
        (R(9, 2), "4.499", False),
        (R(9, 2), "4.501", False),
        (R(9, 2), "4", False),
        (R(9, 2), "5", False),
        (R(9, 2), "-4.5", False),
        (R(-9, 2), "-4.5", True),
        (R(-9, 2), "\u22129/2", True),
        (R(66), "66", True),
        (R(66), "66.0", True),
        (R(66), "6.6e1", True),
        (R(66), "66.01", False),
        (R(66), "65.99", False),
        (R(66), "70", False),
        (SIGMOID, "0.12", True),
        (SIGMOID, "0.119", True),
        (SIGMOID, "0.1192", True),
        (SIGMOID, "0.11920", True),
        (SIGMOID, ".12", True),
        (SIGMOID, "1.19e-1", True),
        (SIGMOID, "0.1", False),
        (SIGMOID, "0.13", False),
        (SIGMOID, "0.11", False),
        (SIGMOID, "0.1193", False),
        (SIGMOID, "0.00", False),
        (-SIGMOID, "-0.12", True),
        (-SIGMOID, "-0.119", True),
        (-SIGMOID, "0.12", False),
        (-SIGMOID, "-0.1", False),
        (NEAR_22, "22.00", True),
        (NEAR_22, "22.001", True),
        (NEAR_22, "22.0009", True),
        (NEAR_22, "22.000912", True),
        (NEAR_22, "22.0010", False),
        (NEAR_22, "22.0", True),  # three significant figures
        (NEAR_22, "22", False),  # two significant figures, no decimals
        (BIG, "12345.68", True),
        (BIG, "12345.7", True),
        (BIG, "12346", True),
        (BIG, "1.23e4", True),  # three significant figures in scientific notation
        (BIG, "12345", False),
        (BIG, "12300", False),  # 0 decimals typed: it is not 12345.678 rounded to 0 decimals
        (BIG, "1.2e4", False),
        (THIRD, "1/3", True),  # a fraction equal to the Float to within its precision
        (THIRD, "0.33", True),
        (THIRD, "0.333", True),
        (THIRD, "0.3", False),
        (THIRD, "33/100", False),  # fractions are exact: no rounding rule
        (R(1, 3), "1/3", True),
        (R(1, 3), "0.33", True),
        (R(1, 3), "0.3333333333", True),
        (R(1, 3), "0.34", False),
        (R(1, 3), "3333/10000", False),
        (R(1, 8), "0.125", True),
        (R(1, 8), "0.12", True),  # a tie: both neighbours are right
        (R(1, 8), "0.13", True),
        (R(-1, 8), "-0.12", True),
        (R(-1, 8), "-0.13", True),
        (R(1, 8), "0.1", False),
        (R(201, 2), "100", True),  # tie at three significant figures
        (R(201, 2), "101", True),
        (R(3, 2500), "0.0012", True),
        (R(3, 2500), "0.001", True),  # two decimals or more, one non-zero digit
        (R(3, 2500), "0.00", False),  # a rounded 0 is never right for a non-zero answer
        (R(3, 2500), "0", False),
        (R(0), "0", True),
        (R(0), "0.00", True),
        (R(0), "-0", True),
        (R(0), "0.001", False),
        (sympy.Float(0.5, 30), "1/2", True),
        (sympy.Float(0.5, 30), "0.5", True),
        (sympy.Integer(10) ** 6 / 7, "142857.14", True),
        (sympy.Integer(10) ** 6 / 7, "142857", True),
    ],
)
def test_precision_rule(answer, text, correct):
    result = check(box(answer), text)
    assert result.correct is correct, (answer, text, result)
    assert result.is_number
    assert result.value == parse_answer(text)


@pytest.mark.parametrize(
    ("answer", "text", "message"),
    [
        (R(9, 2), "4.5", "Correct."),
        (R(9, 2), "4.499", "Not right yet. Check your arithmetic."),
        (R(9, 2), "4", "Not right yet. Check your arithmetic."),  # a tie, not a rounding
        (SIGMOID, "0.1", "Close, but round to at least two decimals (or three significant figures)."),
        (SIGMOID, "0.13", "Not right yet. Check your arithmetic."),
        (R(66), "7e1", "Close, but round to at least two decimals (or three significant figures)."),
        (NEAR_22, "22", "Close, but round to at least two decimals (or three significant figures)."),
        (R(3, 2500), "0.00", "Close, but the answer is not 0: give more decimals."),
        (R(9, 2), "", "Type a number first, such as 4.5 or 9/2."),
    ],
)
def test_messages(answer, text, message):
    assert check(box(answer), text).message == message


@pytest.mark.parametrize("text", ["0.1", "0.13", "4", "1/0", "abc"])
def test_wrong_messages_never_reveal_the_answer(text):
    for answer in (R(7, 2), SIGMOID):
        message = check(box(answer), text).message
        assert format_number(answer) not in message
        assert "0.119" not in message


@pytest.mark.parametrize("text", [None, 4.5, b"4.5", ["4.5"]])
def test_check_treats_non_text_as_blank(text):
    result = check(box(R(9, 2)), text)
    assert result == AnswerResult(False, "Type a number first, such as 4.5 or 9/2.", None)
    assert not result.is_number


@pytest.mark.parametrize(
    "answer",
    [66, R(9, 2), 4.5, sympy.Float("4.5", 30), sympy.Float(4.5), sympy.Integer(9) / 2],
)
def test_check_accepts_every_kind_of_answer(answer):
    assert check(box(answer), "4.5").correct == (answer != 66)


def test_check_evaluates_an_exact_symbolic_answer_at_30_digits():
    assert check(box(1 / (1 + sympy.exp(2))), "0.1192").correct


@pytest.mark.parametrize("answer", [sympy.nan, sympy.oo, sympy.I, "4.5", None])
def test_check_refuses_a_box_whose_answer_is_not_a_real_number(answer):
    with pytest.raises(TypeError):
        check(box(answer), "4.5")


def test_result_is_frozen():
    result = check(box(R(9, 2)), "4.5")
    with pytest.raises(AttributeError):
        result.correct = False


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (sympy.Integer(66), "66"),
        (sympy.Integer(-3), "-3"),
        (sympy.Integer(0), "0"),
        (R(9, 2), "4.5"),
        (R(-1, 8), "-0.125"),
        (R(1, 1024), "0.0009765625"),
        (R(1, 3), "1/3"),
        (R(-22, 7), "-22/7"),
        (SIGMOID, "0.1192"),
        (-SIGMOID, "-0.1192"),
        (NEAR_22, "22"),
        (BIG, "12346"),
        (sympy.Float("0.5", 30), "0.5"),
        (sympy.Float("66.0", 30), "66"),
        (sympy.Float("0.99996", 30), "1"),
        (sympy.Float("0.000012344", 30), "0.00001234"),
        (sympy.Float(-0.0), "0"),
        (4.5, "4.5"),
        (3, "3"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize("module", [answers, reading])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


BUILTINS_THAT_RUN_CODE = {"eval", "exec", "compile", "__import__"}
SYMPY_PARSERS = {"sympify", "parse_expr", "parse_latex", "S"}


@pytest.mark.parametrize("module", [answers, reading])
def test_source_never_evaluates_text(module):
    tree = ast.parse(inspect.getsource(module))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    assert not names & (BUILTINS_THAT_RUN_CODE | SYMPY_PARSERS)
    assert not attributes & SYMPY_PARSERS
    imported = {
        alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names
    }
    assert not imported & SYMPY_PARSERS


@pytest.mark.parametrize("module", [answers, reading])
def test_answers_is_a_bottom_layer_module(module):
    tree = ast.parse(inspect.getsource(module))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            assert node.module == "reading", "answers.py imports only reading.py from the package"
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
    allowed = {"__future__", "re", "unicodedata", "dataclasses", "decimal", "math", "mpmath", "sympy"}
    assert imported <= allowed


# --- properties ---------------------------------------------------------------------------

NUMBER_LIKE = st.from_regex(
    r"\A[ \t]{0,2}[+\-\u2212]?[0-9]{0,12}(\.[0-9]{0,12})?([eE][+\-]?[0-9]{1,5})?[ \t\n]{0,2}\Z"
)
FRACTION_LIKE = st.from_regex(r"\A[+\-]?[0-9]{1,12}/[0-9]{1,12}\Z")
ANY_TEXT = st.one_of(st.text(), st.text(alphabet="0123456789.,+-\u2212eE/ _x*()\u0664", max_size=20))


@PROPERTY
@given(st.one_of(ANY_TEXT, NUMBER_LIKE, FRACTION_LIKE))
def test_parse_returns_a_rational_or_raises_answer_error(text):
    try:
        value = parse_answer(text)
    except AnswerError as error:
        assert str(error).endswith(".")
    else:
        assert isinstance(value, sympy.Rational)


@PROPERTY
@given(st.one_of(ANY_TEXT, NUMBER_LIKE, FRACTION_LIKE), st.sampled_from([R(9, 2), SIGMOID, R(0), -BIG]))
def test_check_never_raises(text, answer):
    result = check(box(answer), text)
    assert isinstance(result.correct, bool)
    assert result.message
    assert result.is_number == (result.value is not None)
    assert result.is_number or not result.correct


@PROPERTY
@given(NUMBER_LIKE)
def test_decimals_read_like_the_decimal_module(text):
    reference = text.strip().replace("\u2212", "-")
    assume(any(c.isdigit() for c in reference.split("e")[0].split("E")[0]))
    try:
        value = parse_answer(text)
    except AnswerError:
        exponent = reference.lower().partition("e")[2]
        assert exponent and abs(int(exponent)) > 300
    else:
        assert Fraction(int(value.p), int(value.q)) == Fraction(Decimal(reference))


@PROPERTY
@given(FRACTION_LIKE)
def test_fractions_read_like_the_fractions_module(text):
    if int(text.split("/")[1]) == 0:
        with pytest.raises(AnswerError):
            parse_answer(text)
    else:
        value = parse_answer(text)
        assert Fraction(int(value.p), int(value.q)) == Fraction(text)


@PROPERTY
@given(st.integers(-(10**9), 10**9), st.integers(1, 10**9))
def test_typing_the_exact_fraction_is_right(p, q):
    answer = R(p, q)
    assert check(box(answer), str(answer)).correct
    assert check(box(answer), f"{p}/{q}").correct
    assert check(box(answer.evalf(30)), f"{p}/{q}").correct


def rounded(value: Fraction, places: int) -> str:
    """``value`` rounded half away from zero to ``places`` decimals, as text."""
    units = int(abs(value) * 10**places + Fraction(1, 2))
    digits = str(units).rjust(places + 1, "0")
    sign = "-" if value < 0 and units else ""
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


ANSWERS = st.one_of(
    st.builds(R, st.integers(-(10**8), 10**8), st.integers(1, 10**4)),
    st.builds(lambda p, q: sympy.exp(R(p, q)).evalf(30), st.integers(-40, 40), st.integers(1, 10)),
    st.builds(lambda p, q: (-sympy.tanh(R(p, q))).evalf(30), st.integers(-30, 30), st.integers(1, 10)),
)


@PROPERTY
@given(ANSWERS, st.integers(2, 9))
@example(sympy.exp(35).evalf(30), 9)  # 25 digits typed: within the Float's own tolerance of a neighbour
def test_rounding_to_enough_decimals_is_right_and_one_off_is_wrong(answer, places):
    exact = Fraction(int(R(answer).p), int(R(answer).q))
    text = rounded(exact, places)
    assume(any(c in "123456789" for c in text))  # a rounded 0 is never right
    assert check(box(answer), text).correct, (answer, text)
    # Off by one in the last digit is wrong, unless the answer sits (within the Float
    # tolerance) on a tie, where both neighbours are right, or the digits go below a float's
    # own precision (a neighbour within two units in the last place is what Python prints).
    unit = Fraction(1, 10**places)
    assume(unit > 4 * Fraction(math.ulp(float(exact))))
    distance_to_tie = abs(abs(exact) * 10**places % 1 - Fraction(1, 2)) * unit
    float_tolerance = Fraction(1, 10**25) * max(1, abs(exact)) if isinstance(answer, sympy.Float) else 0
    assume(distance_to_tie > 2 * float_tolerance + Fraction(1, 10**30))
    for neighbour in (Fraction(Decimal(text)) - unit, Fraction(Decimal(text)) + unit):
        assert not check(box(answer), rounded(neighbour, places)).correct, (answer, neighbour)


@pytest.mark.parametrize(
    ("answer", "text"),
    [
        (sympy.tanh(R(1, 2)).evalf(30), "0.46211715726000974"),
        (sympy.exp(-1).evalf(30), "0.36787944117144233"),
        (sympy.sqrt(2).evalf(30), "1.4142135623730951"),
        (R(2, 3), "0.6666666666666666"),
        (R(66), "66.00000000000001"),
        (R(-1, 3), "-0.3333333333333333"),
    ],
)
def test_what_python_prints_for_the_answer_is_right(answer, text):
    assert abs(float(text) - float(answer)) <= math.ulp(float(answer))  # the float next to it, at most
    assert check(box(answer), text).correct


@pytest.mark.parametrize(
    ("answer", "text"),
    [(R(2, 3), "0.666"), (sympy.E.evalf(30), "2.71"), (sympy.pi.evalf(30), "3.1415"), (R(-2, 3), "-0.66")],
)
def test_a_cut_off_entry_hears_round(answer, text):
    result = check(box(answer), text)
    assert not result.correct and "rounded" in result.message


@pytest.mark.parametrize("text", ["0.67", "0.667", "0.6667"])
def test_rounded_digits_are_still_right(text):
    assert check(box(R(2, 3)), text).correct


@pytest.mark.parametrize(
    ("value", "text"),
    [(sympy.Float("1e100000", 30), "1e+100000"), (sympy.Float("-2.5e-100000", 30), "-2.5e-100000")],
)
def test_huge_exponents_are_shown_and_judged_at_once(value, text):
    assert format_number(value) == text
    assert check(box(value), "1e300").message == "Not right yet. Check your arithmetic."
