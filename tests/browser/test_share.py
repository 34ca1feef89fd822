"""Share links and the embed view in Chromium: what a link carries, what opening it does
(and does not: run or download), broken links, the embed in another site's frame, keys."""

import random
import re
import string
from urllib.parse import urlsplit

import pytest
from conftest import PYTHON_TIMEOUT
from playwright.sync_api import expect
from serverlab.scenario import PARAMETER, setup_label

from harness.paths import ROOT, SNIPPETS
from harness.static_site import serve_directory

pytestmark = pytest.mark.browser

PAGES = {"vi": "basics/", "en": "en/basics/"}
SHARED_NOTE = {"vi": "Đây là phiên bản được chia sẻ", "en": "This is a shared version"}
LINK_FIELD = {"vi": "Liên kết chia sẻ", "en": "Share link"}
COPIED = {"vi": "Đã chép liên kết vào clipboard.", "en": "Link copied to the clipboard."}
COPY_REFUSED = {
    "vi": "Trình duyệt không cho chép tự động: hãy chọn và chép liên kết.",
    "en": "The browser refused to copy: select and copy the link.",
}
BROKEN = {
    "corrupt": {"vi": "bị hỏng", "en": "is damaged"},
    "too-long": {"vi": "quá dài", "en": "too long"},
    "unknown-target": {"vi": "không có trên trang này", "en": "not on this page"},
    "version": {"vi": "phiên bản khác", "en": "another version"},
}
SHARED_CODE = "print('shared', 6 * 7)\n"


def blocks(page):
    return page.locator(".runnable-block")


def grant_clipboard(page, url):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)


def pyodide_requests(urls):
    return [url for url in urls if "/pyodide/" in url]


def edit_and_share_text(page, root, code):
    """Replace a block's code as a reader does and press Share."""
    root.locator(".runnable-code").click()
    editor = root.locator(".cm-content")
    expect(editor).to_be_visible(timeout=PYTHON_TIMEOUT)
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(code)
    root.locator(".share-button").click()


def edit_and_share(page, root, code, language):
    """Replace a block's code, press Share and return the link it shows."""
    edit_and_share_text(page, root, code)
    link = root.get_by_role("textbox", name=LINK_FIELD[language])
    expect(link).to_have_value(re.compile(r"#share=1\.code\."))
    return link.input_value()


@pytest.fixture
def fresh_page(browser):
    """A page in a new browser context: nothing cached, nothing in localStorage."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def fresh_requests(fresh_page):
    urls = []
    fresh_page.context.on("request", lambda request: urls.append(request.url))
    return urls


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_shared_edit_opens_elsewhere_scrolled_to_noted_and_unrun_until_run(
    page, site_url, fresh_page, fresh_requests, language
):
    grant_clipboard(page, site_url)
    page.goto(site_url + PAGES[language])
    root = blocks(page).last
    link = edit_and_share(page, root, SHARED_CODE, language)
    expect(root.locator(".share-status")).to_have_text(COPIED[language])
    assert page.evaluate("navigator.clipboard.readText()") == link

    fresh_page.goto(link)
    shared = blocks(fresh_page).last
    note = fresh_page.locator(".share-note")
    expect(note).to_contain_text(SHARED_NOTE[language])
    expect(note).to_be_focused()
    expect(shared).to_be_in_viewport()
    expect(shared.locator(".runnable-code code")).to_have_text(SHARED_CODE.strip())
    fresh_page.wait_for_load_state("networkidle")
    assert pyodide_requests(fresh_requests) == []
    # Kept in memory: the reader's storage holds no edit until they make one.
    assert (
        fresh_page.evaluate("Object.keys(localStorage).filter(k => k.includes('snippet:'))") == []
    )

    shared.locator(".runnable-run").click()
    expect(shared).to_have_attribute("data-state", "done", timeout=PYTHON_TIMEOUT)
    expect(shared.locator(".runnable-output")).to_have_text("shared 42")


@pytest.mark.parametrize(("language", "says"), [("vi", "quá dài"), ("en", "too long")])
def test_code_too_long_for_a_link_gets_a_message_not_a_link(page, site_url, language, says):
    page.goto(site_url + PAGES[language])
    root = blocks(page).first
    noise = random.Random(14).choices(string.ascii_letters + string.digits, k=12_000)
    edit_and_share_text(page, root, f"x = {''.join(noise)!r}\n")
    expect(root.locator(".share-status")).to_contain_text(says)
    expect(root.get_by_role("textbox", name=LINK_FIELD[language])).to_be_hidden()
    assert root.locator(".share-field").first.input_value() == ""


def test_reset_in_the_note_brings_back_the_pages_own_code(page, site_url, fresh_page):
    page.goto(site_url + PAGES["en"])
    link = edit_and_share(page, blocks(page).first, SHARED_CODE, "en")
    fresh_page.goto(link)
    shared = blocks(fresh_page).first
    original = (SNIPPETS / shared.get_attribute("data-snippet")).read_text(encoding="utf-8")
    expect(shared.locator(".runnable-code code")).to_have_text(SHARED_CODE.strip())
    fresh_page.locator(".share-note").get_by_role("button", name="Reset").click()
    expect(fresh_page.locator(".share-note")).to_have_count(0)
    expect(shared.locator(".runnable-code code")).to_have_text(original.strip())
    assert "#" not in fresh_page.url  # a reload shows the page's own code too
    expect(shared.locator(".share-button")).to_be_focused()


def concurrency_lab(page):
    return page.locator('.lab[data-preset="concurrency-lab.json"]')


def share_lab(page, url, fields):
    """Set `fields` ({name: value}) of the first setup of the concurrency lab; share it."""
    page.goto(url)
    lab = concurrency_lab(page)
    lab.scroll_into_view_if_needed()  # its form is built once it comes near the screen
    for name, value in fields.items():
        lab.locator("fieldset").first.locator(f"[name={name}]").fill(str(value))
    lab.locator(".share-button").click()
    link = lab.get_by_role("textbox", name=LINK_FIELD["vi"])
    expect(link).to_have_value(re.compile(r"#share=1\.lab\.concurrency-lab\.json\."))
    return link.input_value()


def test_a_labs_shared_setup_fills_its_form_and_simulate_shows_that_setup(
    page, site_url, fresh_page, fresh_requests
):
    link = share_lab(page, site_url + "concurrency/", {"workers": 2, "requests": 12})
    fresh_page.goto(link)
    lab = concurrency_lab(fresh_page)
    expect(fresh_page.locator(".share-note")).to_contain_text(SHARED_NOTE["vi"])
    expect(lab).to_be_in_viewport()
    first = lab.locator("fieldset").first
    expect(first.locator("[name=workers]")).to_have_value("2")
    expect(first.locator("[name=requests]")).to_have_value("12")
    fresh_page.wait_for_load_state("networkidle")
    assert pyodide_requests(fresh_requests) == []

    lab.locator(".lab-form button[type=submit]").click()
    setup = {"server": "gunicorn-sync", "workers": 2, "view": "sync-io", "requests": 12}
    title = lab.locator(".lab-panel-title").first
    expect(title).to_have_text(setup_label(setup), timeout=PYTHON_TIMEOUT)


def test_a_second_setup_compared_is_shared_with_compare_on(page, site_url, fresh_page):
    page.goto(site_url + "en/django/")
    lab = page.locator('.lab[data-preset="django-sync-under-asgi.json"]')
    lab.scroll_into_view_if_needed()
    lab.get_by_label("Compare two setups").check()
    lab.locator("fieldset").nth(1).locator("[name=server]").select_option("gunicorn-sync")
    lab.locator(".share-button").click()
    link = lab.get_by_role("textbox", name=LINK_FIELD["en"])
    expect(link).to_have_value(re.compile(r"#share=1\.lab\."))
    fresh_page.goto(link.input_value())
    shared = fresh_page.locator('.lab[data-preset="django-sync-under-asgi.json"]')
    expect(shared.get_by_label("Compare two setups")).to_be_checked()
    expect(shared.locator("fieldset")).to_have_count(2)
    expect(shared.locator("fieldset").nth(1).locator("[name=server]")).to_have_value(
        "gunicorn-sync"
    )
    fresh_page.locator(".share-note").get_by_role("button", name="Reset").click()
    expect(shared.get_by_label("Compare two setups")).not_to_be_checked()
    expect(shared.locator("fieldset")).to_have_count(1)


def test_an_absurd_shared_value_gets_the_labs_own_message_at_simulate(page, site_url, fresh_page):
    workers = PARAMETER["workers"]
    link = share_lab(page, site_url + "concurrency/", {"workers": workers.max * 10})
    fresh_page.goto(link)
    lab = concurrency_lab(fresh_page)
    field = lab.locator("fieldset").first.locator("[name=workers]")
    expect(field).to_have_value(str(workers.max * 10))  # shown as shared, not clamped
    lab.locator(".lab-form button[type=submit]").click()
    label = workers.label["vi"]
    expect(lab.locator(".lab-error")).to_have_text(
        f"{label}: hãy nhập một số nguyên từ {workers.min} đến {workers.max}."
    )


def damaged(link, damage):
    """`link` broken as `damage` says: the fields are version.kind.target.payload."""
    base, fragment = link.split("#share=")
    version, kind, *target, payload = fragment.split(".")
    if damage == "corrupt":
        return f"{base}#share={version}.{kind}.{'.'.join(target)}.{payload[: len(payload) // 2]}x"
    if damage == "too-long":
        return f"{base}#share={version}.{kind}.{'.'.join(target)}.{payload + 'A' * 9000}"
    if damage == "unknown-target":
        return f"{base}#share={version}.{kind}.no/such_block.py.{payload}"
    return f"{base}#share=9.{kind}.{'.'.join(target)}.{payload}"


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("damage", list(BROKEN))
def test_a_broken_link_says_why_in_the_pages_language_and_leaves_the_page_working(
    page, site_url, fresh_page, language, damage
):
    page.goto(site_url + PAGES[language])
    link = edit_and_share(page, blocks(page).first, SHARED_CODE, language)
    fresh_page.goto(damaged(link, damage))
    alert = fresh_page.get_by_role("alert")
    expect(alert).to_contain_text(BROKEN[damage][language])
    expect(fresh_page.locator("article > .share-alert")).to_have_count(1)  # top of the content
    block = blocks(fresh_page).first
    original = (SNIPPETS / block.get_attribute("data-snippet")).read_text(encoding="utf-8")
    expect(block.locator(".runnable-code code")).to_have_text(original.strip())
    expect(fresh_page.locator(".share-note")).to_have_count(0)
    expect(block.locator(".runnable-run")).to_be_enabled()


def embed_url(site_url, page_path, snippet):
    return f"{site_url}{page_path}?embed=code.{snippet}"


def expect_only_the_block(page_or_frame, snippet):
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", "article h1"):
        expect(page_or_frame.locator(chrome)).to_be_hidden()
    shown = page_or_frame.locator(".runnable-block").filter(visible=True)
    expect(shown).to_have_count(1)
    expect(shown).to_have_attribute("data-snippet", snippet)


@pytest.mark.parametrize(
    ("language", "back"), [("vi", "Mở trên WSGI hay ASGI?"), ("en", "Open in WSGI or ASGI?")]
)
def test_the_embed_view_shows_only_its_block_and_a_way_back(page, site_url, language, back):
    page.goto(site_url + PAGES[language])
    snippet = blocks(page).nth(1).get_attribute("data-snippet")
    page.goto(embed_url(site_url, PAGES[language], snippet))
    expect_only_the_block(page, snippet)
    home = page.get_by_role("link", name=back)
    expect(home).to_have_attribute("href", site_url + PAGES[language])
    expect(home).to_have_attribute("target", "_blank")
    expect(home).to_have_attribute("rel", "noopener")


def test_an_embed_of_a_block_not_on_the_page_shows_the_whole_page_and_says_why(page, site_url):
    page.goto(embed_url(site_url, PAGES["vi"], "no/such_block.py"))
    expect(page.get_by_role("alert")).to_contain_text(BROKEN["unknown-target"]["vi"])
    expect(page.locator(".md-header")).to_be_visible()
    expect(page.locator("article h1")).to_be_visible()


def test_without_javascript_the_embed_url_shows_the_whole_page(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + PAGES["en"])
        snippet = page.locator(".runnable[data-snippet]").first.get_attribute("data-snippet")
        page.goto(embed_url(site_url, PAGES["en"], snippet))
        expect(page.locator(".md-header")).to_be_visible()
        expect(page.locator(".runnable[data-snippet]").nth(1)).to_be_visible()
        assert page.locator("html").get_attribute("data-embed") is None
    finally:
        context.close()


def test_a_labs_embed_view_shows_its_form_at_once_and_nothing_else(page, site_url):
    page.goto(f"{site_url}concurrency/?embed=lab.concurrency-lab.json")
    lab = concurrency_lab(page)
    expect(lab.locator(".lab-form")).to_be_visible()
    expect(page.locator(".lab[data-lab]").filter(visible=True)).to_have_count(1)
    expect(page.locator(".runnable-block").filter(visible=True)).to_have_count(0)
    expect(page.locator(".md-header")).to_be_hidden()


def test_a_link_pasted_on_its_own_page_replaces_the_shared_version_shown(page, site_url):
    page.goto(site_url + PAGES["en"])
    first = edit_and_share(page, blocks(page).first, "print('first')\n", "en")
    second = edit_and_share(page, blocks(page).last, "print('second')\n", "en")
    page.goto(first)
    expect(page.locator(".share-note + .runnable-block")).to_have_attribute(
        "data-snippet", blocks(page).first.get_attribute("data-snippet")
    )
    page.evaluate("hash => { location.hash = hash; }", second.split("#")[1])
    expect(page.locator(".share-note")).to_have_count(1)
    expect(page.locator(".share-note + .runnable-block")).to_have_attribute(
        "data-snippet", blocks(page).last.get_attribute("data-snippet")
    )
    expect(blocks(page).last.locator(".cm-content")).to_have_text("print('second')")
    assert page.url == second  # the newer link stays in the address


def test_the_embed_works_in_a_frame_on_another_sites_page(page, site_url, tmp_path):
    page.goto(site_url + PAGES["en"])
    root = blocks(page).nth(1)
    snippet = root.get_attribute("data-snippet")
    link = edit_and_share(page, root, SHARED_CODE, "en")
    frame_line = root.get_by_role("textbox", name="Embed code (iframe)").input_value()
    assert f"?embed=code.{snippet.replace('/', '%2F')}#share=" in frame_line.replace("&amp;", "&")
    assert link.split("#")[1] in frame_line
    (tmp_path / "index.html").write_text(f"<!doctype html><title>Host</title>{frame_line}")
    with serve_directory(tmp_path) as host:
        assert urlsplit(host).port != urlsplit(site_url).port  # another port: another origin
        page.goto(host + "/")
        frame = page.frame_locator("iframe")
        expect_only_the_block(frame, snippet)
        embedded = frame.locator(".runnable-block").filter(visible=True)
        # In an editor already: this browser holds the sharer's own saved edit.
        expect(embedded.locator(".runnable-code .cm-content")).to_have_text(SHARED_CODE.strip())
        embedded.locator(".runnable-run").click()
        expect(embedded.locator(".runnable-output")).to_have_text(
            "shared 42", timeout=PYTHON_TIMEOUT
        )
        # The host did not allow the frame to write the clipboard: the reader copies by hand.
        embedded.locator(".share-button").click()
        expect(embedded.locator(".share-status")).to_have_text(COPY_REFUSED["en"])
        page.goto("about:blank")  # the frame's page closes before its server stops


def test_share_is_reached_by_tab_pressed_by_enter_and_its_fields_are_labelled(page, site_url):
    grant_clipboard(page, site_url)
    page.goto(site_url + PAGES["vi"])
    root = blocks(page).first
    root.locator(".runnable-reset").focus()
    page.keyboard.press("Tab")
    share = root.get_by_role("button", name="Chia sẻ")
    expect(share).to_be_focused()
    page.keyboard.press("Enter")
    expect(share).to_have_attribute("aria-expanded", "true")
    link = root.get_by_role("textbox", name=LINK_FIELD["vi"])
    expect(link).to_have_value(
        re.compile(r"^" + re.escape(site_url + PAGES["vi"]) + "#share=1\\.code\\.")
    )
    expect(link).to_have_attribute("readonly", "")
    expect(root.get_by_role("textbox", name="Mã nhúng (iframe)")).to_have_value(
        re.compile("^<iframe ")
    )
    expect(root.locator(".share-status")).to_have_text(COPIED["vi"])


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Only sharing's own parts: the rest of each page is test_accessibility.py's.
AXE_ON_SHARING = """axe.run({include: [".share-note", ".share-panel", ".share-alert"]},
    {resultTypes: ["violations"]}).then(r => r.violations.filter(v =>
    ["serious", "critical"].includes(v.impact)).map(v => v.id + " at " + v.nodes[0].target))"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_the_note_the_panel_and_the_alert_pass_axe_in_both_palettes(
    page, site_url, fresh_page, scheme
):
    page.goto(site_url + PAGES["vi"])
    link = edit_and_share(page, blocks(page).first, SHARED_CODE, "vi")
    fresh_page.context.add_init_script(path=str(AXE))
    fresh_page.goto(damaged(link, "corrupt"))
    if fresh_page.evaluate("document.body.dataset.mdColorScheme") != scheme:
        fresh_page.locator("form[data-palette] label:visible").click()
    expect(fresh_page.locator("body")).to_have_attribute("data-md-color-scheme", scheme)
    expect(fresh_page.get_by_role("alert")).to_be_visible()
    assert fresh_page.evaluate(AXE_ON_SHARING) == []
    fresh_page.goto(link)
    expect(fresh_page.locator(".share-note")).to_be_visible()
    blocks(fresh_page).first.locator(".share-button").click()
    expect(fresh_page.locator(".share-panel")).to_be_visible()
    assert fresh_page.evaluate(AXE_ON_SHARING) == []
