// A level's checkbox ticks or unticks all its classes; a level shows "partly ticked" when some are.
// Without this script the server reads a ticked level as "all its classes", unless some of its
// classes are ticked: then only those (sesame/ent/forms.py).
// The server renders consistent boxes, so the first pass only shows "partly ticked": it never
// changes a box, which could undo what the user did before this script ran.
document.querySelectorAll("[data-level]").forEach(function (level) {
  var classes = document.querySelectorAll('[data-level-of="' + level.dataset.level + '"]');
  function ticked() {
    return Array.prototype.filter.call(classes, function (c) { return c.checked; }).length;
  }
  function showPartlyTicked() {
    var count = ticked();
    level.indeterminate = count > 0 && count < classes.length;
  }
  function refresh() {
    level.checked = ticked() === classes.length;
    showPartlyTicked();
  }
  level.addEventListener("change", function () {
    classes.forEach(function (c) { c.checked = level.checked; });
  });
  classes.forEach(function (c) { c.addEventListener("change", refresh); });
  showPartlyTicked();
});
document.documentElement.dataset.classTree = "ready";
