"""Each language is really written in it: Vietnamese prose on vi pages, none on en pages."""

import re

import pytest

from harness.site_pages import CHAPTERS, built_page, prose

# Letters that only Vietnamese uses among the site's languages: đ, ơ, ư, ă and the
# vowels carrying Vietnamese tone marks. English words never contain them.
VIETNAMESE_LETTERS = re.compile(
    "[đĐơƠưƯăĂ"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴâÂêÊôÔ]"
)


def vietnamese_share(text: str) -> float:
    words = re.findall(r"[^\W\d_]+", text)
    return sum(bool(VIETNAMESE_LETTERS.search(w)) for w in words) / max(len(words), 1)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_vietnamese_pages_are_written_in_vietnamese(built_site, chapter):
    paragraphs = prose(built_page(built_site, "vi", chapter).read_text(encoding="utf-8"))
    assert vietnamese_share(" ".join(paragraphs)) > 0.2
    english = [p for p in paragraphs if len(p.split()) >= 12 and vietnamese_share(p) < 0.05]
    assert english == [], "untranslated paragraphs on the Vietnamese page"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_english_pages_carry_no_untranslated_vietnamese(built_site, chapter):
    paragraphs = prose(built_page(built_site, "en", chapter).read_text(encoding="utf-8"))
    vietnamese = [p for p in paragraphs if len(p.split()) >= 4 and vietnamese_share(p) > 0.3]
    assert vietnamese == [], (
        'Vietnamese prose on the English page (mark deliberate quotes with lang="vi")'
    )


def test_the_language_check_tells_the_two_languages_apart():
    assert vietnamese_share("Mỗi lần gọi phục vụ đúng một request, từ đầu đến cuối.") > 0.5
    assert vietnamese_share("Each call serves exactly one request, start to finish.") == 0
