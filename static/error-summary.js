// Where a browser ignores autofocus on a heading, move focus to the error summary anyway,
// so a screen reader starts at the list of what needs fixing (see _macros/forms.html).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary && (document.activeElement === document.body || document.activeElement === null)) {
    summary.focus();
  }
});
