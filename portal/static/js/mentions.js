/* @mentions in comment boxes: type @ and two letters, pick a colleague, get @[Name](id).
   Works on every textarea[data-mentions], also ones htmx swaps in later. Without this
   script people type @name@example.com, which the server resolves the same way. */
(function () {
  "use strict";
  if (window.vonkMentions) { return; }
  window.vonkMentions = true;

  var QUERY = /(^|[\s(])@([^\s@\[\]()]{2,30}(?: [^\s@\[\]()]{0,30})?)$/;
  var list = null, box = null, items = [], active = -1, timer = null, serial = 0;

  function close() {
    if (list) { list.remove(); }
    if (box) { box.removeAttribute("aria-activedescendant"); box.setAttribute("aria-expanded", "false"); }
    list = null; items = []; active = -1;
  }

  function query(textarea) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = QUERY.exec(before);
    return match ? match[2] : null;
  }

  function choose(index) {
    var person = items[index];
    if (!person || !box) { return; }
    var caret = box.selectionStart;
    var before = box.value.slice(0, caret);
    var q = query(box) || "";
    var start = before.length - q.length - 1;
    var name = String(person.name).replace(/[\[\]\n]/g, "");
    var token = "@[" + name + "](" + person.id + ") ";
    box.value = box.value.slice(0, start) + token + box.value.slice(caret);
    var at = start + token.length;
    box.setSelectionRange(at, at);
    box.focus();
    close();
  }

  function highlight(index) {
    if (!list) { return; }
    active = (index + items.length) % items.length;
    Array.prototype.forEach.call(list.children, function (li, i) {
      li.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    box.setAttribute("aria-activedescendant", list.children[active].id);
  }

  function show(textarea, people) {
    close();
    if (!people.length) { return; }
    box = textarea; items = people.slice(0, 8);
    list = document.createElement("ul");
    list.className = "mention-list";
    list.id = (textarea.id || "mentions") + "-people";
    list.setAttribute("role", "listbox");
    items.forEach(function (person, i) {
      var li = document.createElement("li");
      li.id = list.id + "-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = person.name + (person.department ? " · " + person.department : "");
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    textarea.insertAdjacentElement("afterend", list);
    textarea.setAttribute("aria-controls", list.id);
    textarea.setAttribute("aria-expanded", "true");
    highlight(0);
  }

  function lookup(textarea) {
    var q = query(textarea);
    if (!q) { close(); return; }
    var mine = ++serial;
    fetch("/people/suggest?q=" + encodeURIComponent(q.trim()), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (people) {
        if (mine === serial && document.activeElement === textarea) { show(textarea, Array.isArray(people) ? people : []); }
      })
      .catch(close);
  }

  document.addEventListener("input", function (event) {
    var textarea = event.target;
    if (!(textarea instanceof HTMLTextAreaElement) || !textarea.hasAttribute("data-mentions")) { return; }
    textarea.setAttribute("aria-autocomplete", "list");
    clearTimeout(timer);
    timer = setTimeout(function () { lookup(textarea); }, 150);
  });

  document.addEventListener("keydown", function (event) {
    if (!list || event.target !== box) { return; }
    if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
    else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); choose(active); }
    else if (event.key === "Escape") { event.preventDefault(); close(); }
  });

  document.addEventListener("focusout", function (event) {
    if (event.target === box) { setTimeout(close, 100); }
  });
})();
