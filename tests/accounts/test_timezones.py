"""The browser's time zone: taken at sign-up, offered when it differs later, grouped in settings."""

import pytest
from django.urls import reverse

from accounts.models import TIMEZONES, User
from accounts.timezones import BROWSER_TIMEZONE_COOKIE, COMMON, canonical_timezone, timezone_choices

PASSPHRASE = "a long enough passphrase"


@pytest.mark.parametrize(
    ("reported", "stored"),
    [
        ("Europe/Kyiv", "Europe/Kyiv"),
        ("Europe/Kiev", "Europe/Kyiv"),
        (" Europe/Zaporozhye ", "Europe/Kyiv"),
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("US/Eastern", "America/New_York"),
        ("Etc/UTC", "UTC"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ],
)
def test_a_known_zone_is_kept_under_its_current_name(reported, stored):
    assert canonical_timezone(reported) == stored


@pytest.mark.parametrize(
    "reported",
    ["", None, "Mars/Olympus_Mons", "localtime", "Factory", "../../etc/passwd", "a" * 300],
)
def test_anything_else_is_no_zone(reported):
    assert canonical_timezone(reported) is None


def _sign_up(client, **extra):
    data = {"email": "new@example.com", "password1": PASSPHRASE, "password2": PASSPHRASE}
    response = client.post(reverse("account_signup"), data | extra)
    assert response.status_code == 302, response.content.decode()
    return User.objects.get(email="new@example.com")


@pytest.mark.django_db
def test_sign_up_form_carries_a_hidden_field_for_the_browser_zone(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert 'type="hidden" name="timezone"' in html
    assert "data-browser-timezone" in html
    assert "js/timezone.js" in html


@pytest.mark.django_db
def test_sign_up_saves_the_browser_zone_under_its_current_name(client):
    user = _sign_up(client, timezone="Europe/Kiev")
    assert user.settings.timezone == "Europe/Kyiv"


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["", "Nowhere/Special", "<script>"])
def test_sign_up_with_no_usable_zone_still_signs_up_in_utc(client, zone):
    user = _sign_up(client, timezone=zone)
    assert user.settings.timezone == "UTC"


def test_settings_offer_common_zones_first_then_regions():
    choices = timezone_choices()
    first_group, zones = choices[0]
    assert str(first_group) == "Common"
    assert [value for value, _label in zones] == COMMON
    regions = [str(group) for group, _zones in choices[1:]]
    assert regions[:2] == ["Africa", "Americas"]
    listed = [value for _group, zones in choices for value, _label in zones]
    assert len(listed) == len(set(listed)), "a zone offered twice"
    assert "Europe/Kiev" not in listed
    assert "Etc/GMT+5" not in listed
    assert set(listed) <= TIMEZONES
    europe = dict(next(zones for group, zones in choices if str(group) == "Europe"))
    assert europe["Europe/Paris"] == "Paris"
    assert "Europe/Kyiv" not in europe  # it is among the common ones


def test_a_zone_saved_before_stays_selectable(web_client, user):
    user.settings.timezone = "US/Eastern"
    user.settings.save()
    html = web_client.get(reverse("accounts:settings")).content.decode()
    assert '<option value="US/Eastern" selected>' in html
    assert "<optgroup" in html
    assert html.index('value="Europe/Kyiv"') < html.index('value="Africa/Abidjan"')


def test_preferences_save_a_grouped_choice(web_client, user):
    response = web_client.post(
        reverse("accounts:preferences"),
        {"timezone": "Asia/Tokyo", "week_start": 0, "language": "en", "theme": "system"},
    )
    assert response.status_code == 302
    user.settings.refresh_from_db()
    assert user.settings.timezone == "Asia/Tokyo"


def test_no_offer_without_a_browser_zone_or_when_it_matches(web_client, user):
    assert "timezone-offer" not in web_client.get(reverse("dashboard")).content.decode()
    web_client.cookies[BROWSER_TIMEZONE_COOKIE] = "UTC"
    assert "timezone-offer" not in web_client.get(reverse("dashboard")).content.decode()
    web_client.cookies[BROWSER_TIMEZONE_COOKIE] = "Nowhere/Special"
    assert "timezone-offer" not in web_client.get(reverse("dashboard")).content.decode()


def test_a_different_browser_zone_is_offered_and_switched_by_a_plain_form(web_client, user):
    web_client.cookies[BROWSER_TIMEZONE_COOKIE] = "Europe/Kiev"
    html = web_client.get(reverse("tasks:list")).content.decode()
    assert "timezone-offer" in html
    assert 'name="timezone" value="Europe/Kyiv"' in html
    response = web_client.post(
        reverse("accounts:timezone_offer"),
        {"timezone": "Europe/Kyiv", "action": "switch", "next": reverse("tasks:list")},
    )
    assert response.status_code == 302
    assert response.url == reverse("tasks:list")
    user.settings.refresh_from_db()
    assert user.settings.timezone == "Europe/Kyiv"
    assert "timezone-offer" not in web_client.get(reverse("tasks:list")).content.decode()


def test_the_cookie_is_read_as_the_script_writes_it_uri_encoded(web_client, user):
    # static/js/timezone.js: encodeURIComponent("Asia/Tokyo"); the offer was never shown.
    web_client.cookies[BROWSER_TIMEZONE_COOKIE] = "Asia%2FTokyo"
    html = web_client.get(reverse("dashboard")).content.decode()
    assert 'name="timezone" value="Asia/Tokyo"' in html


def test_a_dismissed_offer_stays_away_and_changes_nothing(web_client, user):
    web_client.cookies[BROWSER_TIMEZONE_COOKIE] = "Europe/Kyiv"
    response = web_client.post(
        reverse("accounts:timezone_offer"),
        {"timezone": "Europe/Kyiv", "action": "dismiss", "next": "https://evil.example/"},
    )
    assert response.url == reverse("dashboard")
    user.settings.refresh_from_db()
    assert user.settings.timezone == "UTC"
    assert "timezone-offer" not in web_client.get(reverse("dashboard")).content.decode()


def test_switching_to_an_unknown_zone_is_refused_without_error(web_client, user):
    response = web_client.post(
        reverse("accounts:timezone_offer"), {"timezone": "Nowhere/Special", "action": "switch"}
    )
    assert response.status_code == 302
    user.settings.refresh_from_db()
    assert user.settings.timezone == "UTC"
