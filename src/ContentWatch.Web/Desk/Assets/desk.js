// ContentWatch review desk: keyboard shortcuts. Served as a file: the desk's CSP forbids inline script.
(function () {
    "use strict";

    var help = document.getElementById("help");
    var page = document.body.getAttribute("data-page");

    function typing(target) {
        return target instanceof HTMLElement &&
            (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    }

    function toggleHelp(show) {
        if (!help) { return; }
        var open = show === undefined ? help.hidden : show;
        help.hidden = !open;
        if (open) {
            var close = help.querySelector("[data-help-close]");
            if (close) { close.focus(); }
        }
    }

    function follow(selector) {
        var link = document.querySelector(selector);
        if (link) { window.location.assign(link.getAttribute("href")); }
    }

    function focusField(id) {
        var field = document.getElementById(id);
        if (field) {
            field.scrollIntoView({ block: "center" });
            field.focus();
        }
    }

    // Queue: j/k move the selection, Enter (on the focused link) opens it.
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-row]"));
    var selected = -1;

    function select(index) {
        if (rows.length === 0) { return; }
        index = Math.max(0, Math.min(rows.length - 1, index));
        if (selected >= 0) { rows[selected].classList.remove("selected"); }
        selected = index;
        rows[selected].classList.add("selected");
        var link = rows[selected].querySelector("a.item-link");
        if (link) { link.focus(); }
    }

    rows.forEach(function (row, index) {
        row.addEventListener("focusin", function () {
            if (selected >= 0) { rows[selected].classList.remove("selected"); }
            selected = index;
            row.classList.add("selected");
        });
    });

    document.querySelectorAll("[data-help-open]").forEach(function (b) {
        b.addEventListener("click", function () { toggleHelp(true); });
    });
    document.querySelectorAll("[data-help-close]").forEach(function (b) {
        b.addEventListener("click", function () { toggleHelp(false); });
    });

    document.addEventListener("keydown", function (e) {
        if (e.ctrlKey || e.metaKey || e.altKey) { return; }
        if (e.key === "Escape") {
            if (help && !help.hidden) { toggleHelp(false); return; }
            if (typing(e.target)) { e.target.blur(); }
            return;
        }
        if (typing(e.target)) { return; }
        if (e.key === "?") {
            e.preventDefault();
            toggleHelp();
            return;
        }
        if (help && !help.hidden) { return; }

        if (page === "queue") {
            if (e.key === "j") { e.preventDefault(); select(selected + 1); }
            else if (e.key === "k") { e.preventDefault(); select(selected < 0 ? 0 : selected - 1); }
        } else if (page === "item") {
            if (e.key === "j") { e.preventDefault(); follow("a[rel=next]"); }
            else if (e.key === "k") { e.preventDefault(); follow("a[rel=prev]"); }
            else if (e.key === "c") { e.preventDefault(); focusField("confirm-reason"); }
            else if (e.key === "r") { e.preventDefault(); focusField("reject-reason"); }
        }
    });
}());
