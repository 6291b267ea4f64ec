"""The untranslated-string finder itself: it must catch what it is for, and only that."""

from tests.i18n.pages import untranslated


def test_finds_english_text_and_attributes():
    html = (
        '<p>Завдання: <b>Due today</b></p><input placeholder="Search">'
        '<input type="submit" value="Save"><button value="uk">Зберегти</button>'
        '<a title="Settings">⚙</a>'
    )
    assert untranslated(html) == [
        "Due today",
        '<input placeholder="Search">',
        '<input value="Save">',
        '<a title="Settings">',
    ]


def test_leaves_brands_emails_urls_code_and_other_languages_alone():
    html = (
        "<p>Bakhmach Business Hub · GitHub, Slack, PDF, CSV, API</p>"
        "<p>олена@example.com https://example.com/a</p><code>/log</code><kbd>Esc</kbd>"
        '<button lang="en">English</button><select translate="no"><option>Europe/Kyiv</option>'
        '</select><script>const x = 1;</script><img alt=""><br>'
    )
    assert untranslated(html) == []
