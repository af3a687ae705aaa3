// A level's checkbox ticks or unticks all its classes; a level shows "partly ticked" when some are.
// Without this script the server still reads a ticked level as "all its classes".
document.querySelectorAll("[data-level]").forEach(function (level) {
  var classes = document.querySelectorAll('[data-level-of="' + level.dataset.level + '"]');
  function refresh() {
    var ticked = Array.prototype.filter.call(classes, function (c) { return c.checked; }).length;
    level.checked = ticked === classes.length;
    level.indeterminate = ticked > 0 && ticked < classes.length;
  }
  level.addEventListener("change", function () {
    classes.forEach(function (c) { c.checked = level.checked; });
  });
  classes.forEach(function (c) { c.addEventListener("change", refresh); });
  refresh();
});
