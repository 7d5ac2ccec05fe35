// The HTML report's page script: draws the charts and the item table from the
// report's data block. Every text from the run (prompts, answers, reasons) is
// set as text, never as markup. The table shows a page at a time, so a run of
// 100,000 items opens as fast as one of 100.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("gate-data").textContent);
  var PAGE = 100;

  (data.charts || []).forEach(function (chart) {
    var canvas = document.getElementById(chart.canvas);
    if (canvas && window.Chart) {
      new window.Chart(canvas, chart.config);
    }
  });

  var items = data.items;
  var table = document.getElementById("items");
  if (!items || !table) {
    return;
  }
  var body = table.querySelector("tbody");
  var checkFilter = document.getElementById("check-filter");
  var statusFilter = document.getElementById("status-filter");
  var search = document.getElementById("search");
  var count = document.getElementById("row-count");
  var pageInfo = document.getElementById("page-info");
  var previous = document.getElementById("previous-page");
  var next = document.getElementById("next-page");
  var newly = data.newly_failing || {};
  var page = 0;
  var rows = [];

  // Per check: its problems by item index, and the items newly failing it.
  var checks = Object.keys(items.checks).map(function (id) {
    var problems = new Map();
    items.checks[id].problems.forEach(function (p) {
      problems.set(p[0], p);
    });
    return { id: id, reads: items.checks[id].reads, problems: problems, newly: new Set(newly[id] || []) };
  });

  function status(check, index) {
    var problem = check.problems.get(index);
    return problem ? problem[1] : "pass";
  }

  function matches(row, query) {
    if (!query) {
      return true;
    }
    var item = items.rows[row.index];
    var problem = row.check.problems.get(row.index);
    var reason = problem ? items.reasons[problem[2]] : "";
    return [item[0], item[3], item[4], reason].some(function (text) {
      return String(text).toLowerCase().indexOf(query) !== -1;
    });
  }

  function filter() {
    var wanted = checkFilter.value;
    var state = statusFilter.value;
    var query = search.value.trim().toLowerCase();
    rows = [];
    checks.forEach(function (check) {
      if (wanted && check.id !== wanted) {
        return;
      }
      check.reads.forEach(function (run) {
        for (var index = run[0]; index < run[0] + run[1]; index++) {
          var verdict = status(check, index);
          if (state === "new" ? !check.newly.has(items.rows[index][0]) : state && verdict !== state) {
            continue;
          }
          var row = { check: check, index: index, verdict: verdict };
          if (matches(row, query)) {
            rows.push(row);
          }
        }
      });
    });
    page = 0;
    draw();
  }

  function cell(text, className) {
    var td = document.createElement("td");
    td.textContent = text === null || text === undefined ? "" : String(text);
    if (className) {
      td.className = className;
    }
    return td;
  }

  function draw() {
    var pages = Math.max(1, Math.ceil(rows.length / PAGE));
    page = Math.min(page, pages - 1);
    var shown = rows.slice(page * PAGE, (page + 1) * PAGE).map(function (row) {
      var item = items.rows[row.index];
      var problem = row.check.problems.get(row.index);
      var tr = document.createElement("tr");
      tr.className = "verdict-" + row.verdict;
      tr.appendChild(cell(row.check.id));
      tr.appendChild(cell(item[0] + " (" + items.corpora[item[1]] + ":" + item[2] + ")"));
      tr.appendChild(cell(item[3], "text"));
      tr.appendChild(cell(item[4], "text"));
      var verdict = row.verdict + (row.check.newly.has(item[0]) ? " (new)" : "");
      tr.appendChild(cell(verdict, "verdict"));
      tr.appendChild(cell(problem ? items.reasons[problem[2]] : "", "text"));
      tr.appendChild(cell(problem && problem[3] ? problem[3] : ""));
      tr.appendChild(cell(item[5] === null ? "" : item[5]));
      return tr;
    });
    body.replaceChildren.apply(body, shown);
    count.textContent = rows.length + (rows.length === 1 ? " row" : " rows");
    pageInfo.textContent = "page " + (page + 1) + " of " + pages;
    previous.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }

  var pending = null;
  search.addEventListener("input", function () {
    clearTimeout(pending);
    pending = setTimeout(filter, 150);
  });
  checkFilter.addEventListener("change", filter);
  statusFilter.addEventListener("change", filter);
  previous.addEventListener("click", function () {
    page -= 1;
    draw();
  });
  next.addEventListener("click", function () {
    page += 1;
    draw();
  });
  filter();
})();
