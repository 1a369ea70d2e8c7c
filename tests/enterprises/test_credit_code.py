import pytest
from django.core.exceptions import ValidationError

from enterprises.credit_code import (
    MESSAGES,
    check_character,
    credit_code_problem,
    is_valid_credit_code,
    normalize_credit_code,
    validate_credit_code,
    validate_credit_code_format,
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


# --- edges the first tests missed (issue 17) ----------------------------------------------

ENDS_IN_Y = "91610728MA6YQ3W2BY"  # Σ mod 31 == 1: check value 30, the last symbol
ENDS_IN_0 = "91610728MA6YQ3W210"  # Σ mod 31 == 0: (31 - 0) wraps around to 0


@pytest.mark.parametrize("code", [ENDS_IN_Y, ENDS_IN_0])
def test_check_character_at_both_ends_of_the_alphabet(code):
    assert check_character(code[:17]) == code[17]
    assert credit_code_problem(code) is None
    assert is_valid_credit_code(code)


@pytest.mark.parametrize("first", ["91610728MA6YQ3W2", "91610728MA6YQ3W2BY", ""])
def test_check_character_needs_exactly_17(first):
    with pytest.raises(ValueError, match="^check_character needs exactly 17 characters$"):
        check_character(first)


def test_is_valid_credit_code_says_no_to_a_bad_code():
    assert is_valid_credit_code(VALID[0])
    assert not is_valid_credit_code("91350100M000100Y44")


@pytest.mark.parametrize(("raw", "folded"), [
    ("！", "!"),          # U+FF01, first of the full-width ASCII block
    ("～", "~"),          # U+FF5E, its last
    ("\uff00", "\uff00"),  # just below the block: kept
    ("\uff5f", "\uff5f"),  # just above it: kept
    ("ａｂ", "AB"),
])
def test_normalise_folds_exactly_the_full_width_ascii_block(raw, folded):
    assert normalize_credit_code(raw) == folded


@pytest.mark.parametrize(("code", "problem"), [
    ("91350100M000100Y4", "length"),
    ("91350100m000100y43", "characters"),
    ("9135010OM000100Y43", "characters"),
])
def test_format_validator_refuses_length_and_alphabet(code, problem):
    with pytest.raises(ValidationError) as info:
        validate_credit_code_format(code)
    assert info.value.code == f"credit_code_{problem}"
    assert info.value.messages == [str(MESSAGES[problem])]


@pytest.mark.parametrize("code", [*VALID, "91350100M000100Y44"])
def test_format_validator_waives_only_the_checksum(code):
    assert validate_credit_code_format(code) is None


def test_checksum_message_names_the_check_character():
    with pytest.raises(ValidationError) as info:
        validate_credit_code("91350100M000100Y44")
    assert info.value.messages == [str(MESSAGES["checksum"])]


# --- the validator where it is used: model, admin form, import ---------------------------


def _enterprise(park, code):
    from enterprises.models import Enterprise, Relation

    return Enterprise(park=park, name="校验企业", credit_code=code, relation=Relation.RESIDENT)


@pytest.mark.parametrize(("code", "problem"), [
    ("91350100M000100Y4", "length"),
    ("91350100m000100y43", "characters"),
])
def test_model_full_clean_refuses_bad_length_and_lowercase(park, code, problem):
    with pytest.raises(ValidationError) as info:
        _enterprise(park, code).full_clean()
    assert [e.code for e in info.value.error_dict["credit_code"]] == [f"credit_code_{problem}"]


def test_model_full_clean_accepts_a_bad_checksum(park):
    # Some early codes genuinely fail the checksum; only the import asks about it.
    _enterprise(park, "91350100M000100Y44").full_clean()


def _admin_form(admin_user, park, code):
    from django.contrib import admin
    from django.test import RequestFactory

    from enterprises.models import Enterprise, Relation

    request = RequestFactory().get("/admin/")
    request.user = admin_user
    form_class = admin.site._registry[Enterprise].get_form(request)
    data = {"park": park.pk, "name": "校验企业", "credit_code": code,
            "relation": Relation.RESIDENT, "status": "settled"}
    return form_class(data)


@pytest.mark.parametrize(("code", "problem"), [
    ("91350100M000100Y4", "length"),
    ("91350100m000100y43", "characters"),
])
def test_admin_form_refuses_bad_length_and_lowercase(admin_user, park, code, problem):
    form = _admin_form(admin_user, park, code)
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["credit_code"]] == [f"credit_code_{problem}"]


def test_admin_form_accepts_a_bad_checksum(admin_user, park):
    form = _admin_form(admin_user, park, "91350100M000100Y44")
    assert "credit_code" not in form.errors


def _import(code, **kwargs):
    from enterprises.importing.writer import analyse

    data = f"企业名称,统一社会信用代码\n校验企业,{code}\n".encode()
    return analyse(data, **kwargs)[1]


@pytest.mark.parametrize(("code", "accepted"), [
    ("91350100M000100Y4", False),    # length
    ("91350100m000100y43", True),    # lower case is folded by the import
    ("91350100M000100Y44", False),   # checksum
    (ENDS_IN_0, True),
])
def test_import_checks_the_code(db, code, accepted):
    validated = _import(code)
    assert validated.valid_rows == (1 if accepted else 0)
    assert validated.rejected_rows == (0 if accepted else 1)


def test_import_waives_the_checksum_only_when_asked(db):
    assert _import("91350100M000100Y44", accept_bad_checksum=True).valid_rows == 1
    assert _import("91350100M000100Y4", accept_bad_checksum=True).valid_rows == 0
