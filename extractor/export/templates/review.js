(function () {
  "use strict";
  // Each fact is a list of indexes into the page's strings, one per key, the table row last
  // (review.py, facts_data); unpacked here into one object per fact.
  var data = JSON.parse(document.getElementById("facts-data").textContent);
  var facts = data.facts.map(function (values) {
    var fact = {};
    values.forEach(function (value, i) {
      var key = data.keys[i];
      if (value) { fact[key] = key === "row" ? value : data.strings[value]; }
    });
    // As review.py's FactView.where: the page (and table), then the cell's row and column.
    fact.where = fact.row ? fact.place + " row " + fact.row + ", " + fact.column : fact.place;
    return fact;
  });
  var panel = document.getElementById("detail");
  var body = document.getElementById("detail-body");
  var fields = [["field", "field"], ["label", "label"], ["value", "value"], ["code", "code"],
    ["names", "names"], ["source", "source"], ["where", "where"], ["status", "status"],
    ["resolved", "resolved"], ["concept", "concept"], ["pattern", "pattern"], ["id", "fact id"],
    ["quote", "quote"]];

  function show(indexes) {
    body.textContent = "";
    indexes.forEach(function (index) {
      var fact = facts[index];
      if (!fact) { return; }
      var list = document.createElement("dl");
      fields.forEach(function (pair) {
        if (!fact[pair[0]]) { return; }
        var term = document.createElement("dt");
        term.textContent = pair[1];
        var value = document.createElement("dd");
        value.textContent = fact[pair[0]];
        list.appendChild(term);
        list.appendChild(value);
      });
      body.appendChild(list);
    });
    panel.hidden = false;
  }

  // A mark's hover text, made here from the facts' data rather than written into the page
  // beside it a second time (a third of a page's bytes).
  function title(fact) {
    var parts = [(fact.label || "") + " (" + fact.field + ")", fact.value, fact.code,
      fact.source, fact.where];
    if (fact.resolved) { parts.push(fact.resolved + ": " + fact.concept); }
    return parts.filter(function (part) { return part; }).join(" · ");
  }
  document.querySelectorAll("mark[data-f], a.cell[data-f]").forEach(function (element) {
    var fact = facts[element.getAttribute("data-f").split(" ")[0]];
    if (fact) { element.setAttribute("title", title(fact)); }
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-f]");
    if (!target) { return; }
    show(target.getAttribute("data-f").split(" "));
    if (target.tagName === "A" && target.getAttribute("href") === "#") { event.preventDefault(); }
  });
  document.getElementById("close").addEventListener("click", function () { panel.hidden = true; });

  // A link to a fact (review.html#f12, or review.html?f12 without the jump) opens its details.
  var linked = /^[#?]f(\d+)$/.exec(window.location.hash || window.location.search);
  if (linked) {
    show([linked[1]]);
    var anchor = document.getElementById("f" + linked[1]);
    var mark = anchor && anchor.nextElementSibling;
    while (mark && mark.tagName !== "MARK") { mark = mark.nextElementSibling; }
    if (mark) { mark.classList.add("focus"); }
  }

  // Mark each highlight with whether the browser laid it out visibly (read by the tests).
  var shown = 0;
  document.querySelectorAll("mark[data-f], mark[data-u]").forEach(function (mark) {
    var box = mark.getBoundingClientRect();
    var visible = box.width > 0 && box.height > 0;
    mark.setAttribute("data-visible", visible ? "1" : "0");
    shown += visible ? 1 : 0;
  });
  document.body.setAttribute("data-marks-visible", String(shown));
  document.body.setAttribute("data-ready", "1");
})();
