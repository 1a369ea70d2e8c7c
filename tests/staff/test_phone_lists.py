"""Lists and the monthly form on a 390×844 phone (issue 12): list rows become cards, the
filters fold away behind a button, nothing scrolls sideways and every tap target is at least
44 px high. Screenshots: test-output/screenshots/phone-*.png."""

import pytest

from tests.conftest import PASSWORD, SCREENSHOT_DIR
from tests.staff.test_browser import scene  # noqa: F401 — the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What a thumb taps: buttons, links styled as buttons or in list cards, pagination, fields.
TAP_TARGETS = """() => {
  const selector = 'main .btn, main .page-link, main td a, main .nav-link, main .breadcrumb a, '
    + 'main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), '
    + 'main select, main textarea, .navbar-toggler';
  return [...document.querySelectorAll(selector)]
    .filter(el => el.offsetParent !== null)
    .map(el => { const r = el.getBoundingClientRect();
                 return {what: el.outerHTML.slice(0, 90), height: r.height, width: r.width}; });
}"""


@pytest.fixture
def phone(browser, live_server, staff_user):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", staff_user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    yield page
    context.close()


def shot(page, name):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"{name}.png"), full_page=True)


def assert_fits_and_tappable(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    targets = page.evaluate(TAP_TARGETS)
    assert targets
    small = [t for t in targets if t["height"] < 44]
    assert not small, small


def assert_cards_and_folded_filters(page, first_label):
    # The header row is out of sight; each row is a card whose cells say what they are.
    assert page.locator(".table-container thead").bounding_box()["height"] <= 1
    rows = page.locator(".table-container tbody tr")
    assert rows.count() >= 2
    box = rows.first.bounding_box()
    assert box["width"] <= 390 and box["height"] > 100  # a card, not a squeezed row
    label = page.evaluate("""() => getComputedStyle(
        document.querySelector('.table-container tbody tr td:nth-child(2)'), '::before').content""")
    assert label == f'"{first_label}"'
    # The filters fold away: hidden until the button opens them.
    assert not page.locator("#list-filters").is_visible()
    toggle = page.locator(".filter-toggle")
    assert toggle.is_visible() and toggle.bounding_box()["height"] >= 44


def test_project_list_on_a_phone(phone, live_server, scene):  # noqa: F811
    phone.goto(f"{live_server.url}/projects/?year=2024")
    phone.wait_for_load_state("networkidle")
    assert_cards_and_folded_filters(phone, "项目名称")
    assert_fits_and_tappable(phone)
    shot(phone, "phone-01-project-list")
    phone.click(".filter-toggle")
    phone.locator("#list-filters.show").wait_for(state="visible")  # opened, not opening
    assert_fits_and_tappable(phone)
    shot(phone, "phone-02-project-list-filters-open")


def test_enterprise_list_on_a_phone(phone, live_server, scene):  # noqa: F811
    phone.goto(f"{live_server.url}/enterprises/")
    phone.wait_for_load_state("networkidle")
    assert_cards_and_folded_filters(phone, "信用代码")
    assert_fits_and_tappable(phone)
    shot(phone, "phone-03-enterprise-list")


def test_monthly_form_on_a_phone(phone, live_server, scene):  # noqa: F811
    code = scene["project"].code
    phone.goto(f"{live_server.url}/projects/{code}/progress/2024-03/")
    phone.wait_for_load_state("networkidle")
    assert phone.locator("#id_completed_investment").is_visible()
    assert_fits_and_tappable(phone)
    shot(phone, "phone-04-monthly-form")
