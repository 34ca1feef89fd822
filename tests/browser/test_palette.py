"""The light/dark toggle: the system's choice from the first paint, a switch kept across pages."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# The palette on <body> when the parser reaches the article: what the first paint can show.
SCHEME_AT_ARTICLE = """
new MutationObserver((changes, observer) => {
  if (!document.querySelector("article")) return;
  window.__schemeAtArticle = document.body?.dataset.mdColorScheme ?? null;
  observer.disconnect();
}).observe(document, { childList: true, subtree: true });
"""


@pytest.fixture
def reader(browser, request):
    """A new reader whose system prefers the colour scheme the test is parametrized with."""
    context = browser.new_context(color_scheme=request.param)
    context.add_init_script(SCHEME_AT_ARTICLE)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(
    ("reader", "scheme"), [("light", "default"), ("dark", "slate")], indirect=["reader"]
)
def test_a_new_reader_sees_the_palette_their_system_prefers_before_the_page_is_drawn(
    reader, site_url, scheme
):
    reader.goto(site_url + "django/")
    assert reader.evaluate("window.__schemeAtArticle") == scheme
    expect(reader.locator("body")).to_have_attribute("data-md-color-scheme", scheme)


@pytest.mark.parametrize("reader", ["light"], indirect=True)
def test_the_toggle_switches_the_palette_and_the_next_page_opens_in_it(reader, site_url):
    reader.goto(site_url)
    reader.locator("form[data-palette] label:visible").click()
    expect(reader.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    expect(reader.locator("body")).not_to_have_attribute("data-md-color-switching", "")
    # The browser's own bar and controls follow the header, as with Material's toggle.
    header = reader.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor")
    expect(reader.locator("meta[name=theme-color]")).to_have_attribute("content", header)
    expect(reader.locator("meta[name=color-scheme]")).to_have_attribute("content", "dark")
    reader.goto(site_url + "en/asgi/")
    assert reader.evaluate("window.__schemeAtArticle") == "slate"
    reader.locator("form[data-palette] label:visible").click()
    expect(reader.locator("body")).to_have_attribute("data-md-color-scheme", "default")


@pytest.mark.parametrize("reader", ["light"], indirect=True)
def test_enter_on_the_focused_palette_option_switches_to_the_next_one(reader, site_url):
    reader.goto(site_url + "en/")
    reader.locator("form[data-palette] input:checked").focus()
    reader.keyboard.press("Enter")
    expect(reader.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    expect(reader.locator("form[data-palette] input:checked")).to_be_focused()
    expect(reader.locator("form[data-palette] label:visible")).to_have_count(1)
