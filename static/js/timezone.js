// The browser's time zone, for the server: the sign-up form's hidden field, and a cookie the
// pages compare with the saved zone to offer a switch (a plain form, which works without this).
(function () {
  "use strict";

  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;
  document.querySelectorAll("input[data-browser-timezone]").forEach(function (input) {
    if (!input.value) input.value = zone;
  });
  var secure = window.location.protocol === "https:" ? "; secure" : "";
  document.cookie = "browser_tz=" + encodeURIComponent(zone) +
    "; path=/; max-age=31536000; samesite=lax" + secure;
})();
