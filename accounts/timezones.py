"""Time zone names: the browser's name made canonical, and the choices the settings offer.

Browsers report the zone the operating system uses, which may be an old name the time zone
database keeps only as a link ("Europe/Kiev" for "Europe/Kyiv"); we store the current name.
"""

from django.utils.translation import gettext_lazy as _

from .models import TIMEZONES

BROWSER_TIMEZONE_COOKIE = "browser_tz"  # written by static/js/timezone.js
# The browser zone the person said no to (in the session): not offered again in it.
DISMISSED_TIMEZONE_KEY = "timezone_offer_dismissed"

# Old names (links in the time zone database's `backward` file) a browser or an older system
# still reports, to the name the database uses now.
ALIASES = {
    "Europe/Kiev": "Europe/Kyiv",
    "Europe/Uzhgorod": "Europe/Kyiv",
    "Europe/Zaporozhye": "Europe/Kyiv",
    "Europe/Belfast": "Europe/London",
    "Europe/Nicosia": "Asia/Nicosia",
    "Asia/Istanbul": "Europe/Istanbul",
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon",
    "Asia/Dacca": "Asia/Dhaka",
    "Asia/Thimbu": "Asia/Thimphu",
    "Asia/Ulan_Bator": "Asia/Ulaanbaatar",
    "Asia/Chongqing": "Asia/Shanghai",
    "Asia/Chungking": "Asia/Shanghai",
    "Asia/Harbin": "Asia/Shanghai",
    "Asia/Tel_Aviv": "Asia/Jerusalem",
    "Atlantic/Faeroe": "Atlantic/Faroe",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Godthab": "America/Nuuk",
    "America/Indianapolis": "America/Indiana/Indianapolis",
    "America/Montreal": "America/Toronto",
    "Pacific/Enderbury": "Pacific/Kanton",
    "US/Eastern": "America/New_York",
    "US/Central": "America/Chicago",
    "US/Mountain": "America/Denver",
    "US/Pacific": "America/Los_Angeles",
    "US/Alaska": "America/Anchorage",
    "US/Hawaii": "Pacific/Honolulu",
    **dict.fromkeys(
        [
            "Etc/UTC",
            "Etc/UCT",
            "Etc/Universal",
            "Etc/Zulu",
            "Etc/GMT",
            "Etc/GMT0",
            "Etc/GMT+0",
            "Etc/GMT-0",
            "Etc/Greenwich",
            "GMT",
            "GMT0",
            "GMT+0",
            "GMT-0",
            "Greenwich",
            "UCT",
            "Universal",
            "Zulu",
        ],
        "UTC",
    ),
}

# Offered first: where most of our users are, and the busiest zones elsewhere.
COMMON = [
    "Europe/Kyiv",
    "Europe/Warsaw",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "UTC",
]
REGIONS = {
    "Africa": _("Africa"),
    "America": _("Americas"),
    "Antarctica": _("Antarctica"),
    "Arctic": _("Arctic"),
    "Asia": _("Asia"),
    "Atlantic": _("Atlantic Ocean"),
    "Australia": _("Australia"),
    "Europe": _("Europe"),
    "Indian": _("Indian Ocean"),
    "Pacific": _("Pacific Ocean"),
}


def canonical_timezone(name: str | None) -> str | None:
    """The current name of the zone `name` names, or None when it names no known zone."""
    name = (name or "").strip()
    name = ALIASES.get(name, name)
    return name if name in TIMEZONES else None


def label(name: str) -> str:
    """`America/Argentina/Buenos_Aires` → `Argentina / Buenos Aires`: the place, region aside."""
    _region, _, place = name.partition("/")
    return (place or name).replace("_", " ").replace("/", " / ")


def timezone_choices(current: str | None = None) -> list:
    """Grouped choices for a select: common zones first, then each region's places by name.

    Old names and the fixed-offset `Etc/` zones are left out, except `current` (a zone saved
    before) which stays selectable where it is.
    """
    listed = {zone for zone in TIMEZONES if zone.partition("/")[0] in REGIONS}
    listed -= ALIASES.keys() | set(COMMON)
    if current and current in TIMEZONES and current not in listed | set(COMMON):
        listed.add(current)
    groups: dict[str, list] = {}
    for zone in sorted(listed, key=label):
        region = zone.partition("/")[0]
        groups.setdefault(region, []).append((zone, label(zone)))
    common = [(zone, zone.replace("_", " ")) for zone in COMMON]
    ordered = [(REGIONS.get(region, _("Other")), groups[region]) for region in sorted(groups)]
    return [(_("Common"), common), *ordered]
