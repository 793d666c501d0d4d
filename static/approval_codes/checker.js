/* Clearinghouse approval-code checker for donor partners' forms. No framework, no cookies.
   <script src=".../checker.js" integrity="sha384-..." crossorigin="anonymous"
           data-key="chp_..." data-field="#approval-code" data-endpoint=".../api/v1/codes/check"></script>
   It watches the field, checks the code as it is pasted or typed (debounced) and shows,
   in the visitor's language, whether it is valid and, if not, why. It never redeems. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) return;
  var T = {
    en: {
      checking: "Checking the code…",
      valid: "Valid: {name}, {country}, validated until {date}.",
      expired: "This code has expired. Ask your organisation's account holder to renew it.",
      replaced: "This code was renewed and replaced by a newer one. Ask your organisation's account holder for it.",
      revoked: "This code was revoked. Ask your organisation's account holder for a new one.",
      organisation_not_eligible: "The organisation of this code is not currently validated.",
      unknown: "There is no such approval code. Check it for typing mistakes.",
      shape: "An approval code looks like x7k2mq9ht4@YourHandle.",
      busy: "Too many checks just now; try again in a minute.",
      error: "The code could not be checked just now."
    },
    sv: {
      checking: "Kontrollerar koden…",
      valid: "Giltig: {name}, {country}, validerad till {date}.",
      expired: "Koden har gått ut. Be din organisations kontoinnehavare att förnya den.",
      replaced: "Koden har förnyats och ersatts av en nyare. Be din organisations kontoinnehavare om den.",
      revoked: "Koden har återkallats. Be din organisations kontoinnehavare om en ny.",
      organisation_not_eligible: "Organisationen bakom koden är inte validerad just nu.",
      unknown: "Det finns ingen sådan godkännandekod. Kontrollera att den är rätt skriven.",
      shape: "En godkännandekod ser ut som x7k2mq9ht4@DittHandtag.",
      busy: "För många kontroller just nu; försök igen om en minut.",
      error: "Koden kunde inte kontrolleras just nu."
    },
    nb: {
      checking: "Kontrollerer koden…",
      valid: "Gyldig: {name}, {country}, validert til {date}.",
      expired: "Koden er utløpt. Be kontoinnehaveren i organisasjonen din om å fornye den.",
      replaced: "Koden er fornyet og erstattet av en nyere. Be kontoinnehaveren i organisasjonen din om den.",
      revoked: "Koden er trukket tilbake. Be kontoinnehaveren i organisasjonen din om en ny.",
      organisation_not_eligible: "Organisasjonen bak koden er ikke validert nå.",
      unknown: "Det finnes ingen slik godkjenningskode. Sjekk at den er skrevet riktig.",
      shape: "En godkjenningskode ser ut som x7k2mq9ht4@DittHandtak.",
      busy: "For mange kontroller akkurat nå; prøv igjen om et minutt.",
      error: "Koden kunne ikke kontrolleres akkurat nå."
    }
  };
  function language() {
    var wanted = (me.getAttribute("data-language") || document.documentElement.lang ||
                  navigator.language || "en").toLowerCase();
    if (wanted.indexOf("sv") === 0) return "sv";
    if (wanted.indexOf("nb") === 0 || wanted.indexOf("no") === 0 || wanted.indexOf("nn") === 0) return "nb";
    return "en";
  }
  var text = T[language()];
  var key = me.getAttribute("data-key");
  var endpoint = me.getAttribute("data-endpoint");
  var shape = /^\s*[A-Za-z0-9]{4,40}@[A-Za-z0-9]{1,60}\s*$/;

  function start() {
    var field = document.querySelector(me.getAttribute("data-field") || "#approval-code");
    if (!field || !key || !endpoint) return;
    var out = document.createElement("p");
    out.className = "approval-code-check";
    out.setAttribute("aria-live", "polite");
    out.id = (field.id || "approval-code") + "-check";
    field.setAttribute("aria-describedby", out.id);
    field.insertAdjacentElement("afterend", out);
    var timer = null, asked = "";

    function show(message, state) {
      out.textContent = message;
      out.setAttribute("data-state", state);
    }
    function check() {
      var value = field.value.trim();
      if (value === asked) return;
      asked = value;
      if (!value) { show("", "empty"); return; }
      if (!shape.test(value)) { show(text.shape, "invalid"); return; }
      show(text.checking, "checking");
      fetch(endpoint, {
        method: "POST",
        mode: "cors",
        credentials: "omit",
        headers: {"Content-Type": "text/plain"},
        body: JSON.stringify({key: key, code: value})
      }).then(function (response) {
        if (response.status === 429) throw "busy";
        if (!response.ok) throw "error";
        return response.json();
      }).then(function (answer) {
        if (field.value.trim() !== value) return;  // the visitor typed on
        if (answer.valid) {
          var o = answer.organisation;
          show(text.valid.replace("{name}", o.name).replace("{country}", o.country)
               .replace("{date}", answer.expires_at.slice(0, 10)), "valid");
        } else {
          show(text[answer.reason] || text.unknown, "invalid");
        }
      }).catch(function (problem) {
        asked = "";
        show(problem === "busy" ? text.busy : text.error, "error");
      });
    }
    function later() { clearTimeout(timer); timer = setTimeout(check, 400); }
    field.addEventListener("input", later);
    field.addEventListener("paste", function () { setTimeout(check, 0); });
    field.addEventListener("change", check);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
