// Tells the server the browser's time zone, so times show in local time (a cookie, no other
// data). Pages work without it: they then use the zone of the chosen country.
(function () {
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || !/^[A-Za-z][A-Za-z0-9_+\-\/]{0,60}$/.test(zone)) return;
    var known = document.cookie.match(/(?:^|;\s*)assist_tz=([^;]*)/);
    if (known && known[1] === zone) return;
    var secure = location.protocol === "https:" ? "; Secure" : "";
    // Zone names are letters, digits and "_+-/": all allowed in a cookie as they are.
    document.cookie = "assist_tz=" + zone +
      "; Path=/; Max-Age=31536000; SameSite=Lax" + secure;
  } catch (e) { /* old browser: the country's zone is used */ }
})();
