import pytest
from django.core.exceptions import ValidationError

from enterprises.credit_code import (
    check_character,
    credit_code_problem,
    normalize_credit_code,
    validate_credit_code,
)

# Published codes: the GB 32100-2015 example, and codes printed on business licences.
VALID = ["91350100M000100Y43", "91110000802100433B", "91440300708461136T"]


@pytest.mark.parametrize("code", VALID)
def test_known_valid_codes_pass(code):
    assert credit_code_problem(code) is None
    validate_credit_code(code)


@pytest.mark.parametrize(("code", "problem"), [
    ("91350100M000100Y44", "checksum"),      # last character altered
    ("91110000802100433C", "checksum"),
    ("91350100M000100Y4", "length"),
    ("91350100M000100Y433", "length"),
    ("", "length"),
    ("91350100M000100I43", "characters"),     # I is not in the alphabet
    ("9135010OM000100Y43", "characters"),     # nor O
    ("91350100m000100y43", "characters"),     # lower case is not normalised by the check
])
def test_invalid_codes_are_named(code, problem):
    assert credit_code_problem(code) == problem
    with pytest.raises(ValidationError) as info:
        validate_credit_code(code)
    assert info.value.code == f"credit_code_{problem}"


def test_check_character_follows_the_weights():
    # Σ value × 3^(i-1) mod 31 for the example code's first 17 characters gives '3'.
    assert check_character("91350100M000100Y4") == "3"


def test_normalise_folds_full_width_and_spaces():
    assert normalize_credit_code(" ９１３５ 0100m000100y43\u3000") == "91350100M000100Y43"


def test_message_is_translated_to_chinese():
    from django.utils import translation

    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as info:
            validate_credit_code("123")
    assert "18" in info.value.messages[0]
    assert "统一社会信用代码" in info.value.messages[0]
