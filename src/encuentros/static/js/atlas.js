/* The atlas page: loads /api/v1/atlas/graph and draws it with Cytoscape.js (vendored).
   Positions come from the server (a cached force-directed layout), so 2,000 nodes stay fast. */
(function () {
  "use strict";
  var form = document.getElementById("atlas-filters");
  var box = document.getElementById("atlas-graph");
  if (!form || !box || typeof cytoscape === "undefined") { return; }
  var strings = document.getElementById("atlas-strings").dataset;
  var card = document.getElementById("atlas-card");
  var status = document.getElementById("atlas-status");
  var colors = {government: "#0b5d53", civil_society: "#c4622d", academia: "#4b5fa8",
                private: "#8a6d1f", citizen: "#7a4f86"};
  var cy = null;

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) { el.className = cls; }
    return el;
  }

  function showCard(node) {
    var d = node.data();
    card.replaceChildren();
    card.appendChild(text("h2", d.label));
    card.appendChild(text("p", d.sectorLabel || d.sector, "eyebrow"));
    var dl = document.createElement("dl");
    [[strings.degree, d.degree], [strings.betweenness, Number(d.betweenness || 0).toFixed(4)],
     [strings.community, d.community >= 0 ? d.community + 1 : "—"]].forEach(function (row) {
      dl.appendChild(text("dt", row[0]));
      dl.appendChild(text("dd", String(row[1])));
    });
    card.appendChild(dl);
    if (d.slug) {
      var a = text("a", strings.open);
      a.href = form.dataset.orgUrl.replace("SLUG", d.slug);
      card.appendChild(a);
    }
  }

  function draw(data) {
    var elements = data.nodes.map(function (n) {
      return {group: "nodes", data: {id: String(n.id), label: n.label, sector: n.sector,
              degree: n.degree || 0, betweenness: n.betweenness || 0, community: n.community,
              slug: n.slug || ""}, position: {x: n.x || 0, y: n.y || 0}};
    }).concat(data.edges.map(function (e, i) {
      return {group: "edges", data: {id: "e" + i, source: String(e.source),
              target: String(e.target), weight: e.weight, cross: e.cross_sector}};
    }));
    var big = data.nodes.length > 300;
    if (cy) { cy.destroy(); }
    cy = cytoscape({
      container: box, elements: elements, layout: {name: "preset", fit: true, padding: 20},
      minZoom: 0.05, maxZoom: 4, textureOnViewport: big, hideEdgesOnViewport: big,
      style: [
        {selector: "node", style: {"background-color": function (n) {
          return colors[n.data("sector")] || "#666"; },
          "width": "mapData(degree, 0, 60, 8, 28)", "height": "mapData(degree, 0, 60, 8, 28)",
          "label": big ? "" : "data(label)", "font-size": 8, "color": "#222",
          "text-wrap": "ellipsis", "text-max-width": 90}},
        {selector: "edge", style: {"width": "mapData(weight, 0, 5, 0.5, 3)",
          "line-color": function (e) { return e.data("cross") ? "#9aa9a6" : "#d9dedc"; },
          "opacity": 0.7, "curve-style": "haystack"}},
        {selector: "node:selected", style: {"border-width": 3, "border-color": "#f2b33d",
          "label": "data(label)"}}
      ]
    });
    cy.on("tap", "node", function (evt) { showCard(evt.target); });
    status.textContent = strings.summary.replace("%(nodes)s", data.nodes.length)
      .replace("%(edges)s", data.edges.length);
  }

  function load() {
    var params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (k) { if (!params.get(k)) { params.delete(k); } });
    status.textContent = strings.loading;
    var url = form.dataset.endpoint + "?" + params.toString();
    var attempt = function () {
      fetch(url, {headers: {Accept: "application/json"}})
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json().then(function (d) { return [r.status, d]; }); })
        .then(function (res) {
          if (res[0] === 202) {  // computed in the background: show progress, ask again
            status.textContent = strings.loading + (res[1].total ? " " + res[1].done + "/" + res[1].total : "");
            window.setTimeout(attempt, 2000);
          } else {
            draw(res[1]);
          }
        })
        .catch(function () { status.textContent = strings.error; });
    };
    attempt();
  }

  form.addEventListener("submit", function (evt) { evt.preventDefault(); load(); });
  load();
})();
