/* Borrower update pages: small conveniences on top of plain forms, which work without this file.
 *
 * - "Compter" asks the server for the size of the lot without reloading the page, so the file
 *   already chosen in "Fichier d'importation" stays selected (a page reload would drop it).
 * - "Analyse" and "Importation" disable their button and say the work is under way: a second
 *   click would only wait for the first, and the seed asks not to interrupt the import.
 */
(function () {
  "use strict";

  function showProgress(form, button, selector) {
    var progress = form.querySelector(selector);
    if (progress) { progress.hidden = false; }
    // Disabled after the submission has started, so the button's own value is still sent.
    window.setTimeout(function () { button.disabled = true; }, 0);
  }

  var fileForm = document.getElementById("update-file-form");
  if (fileForm) {
    var countButton = document.getElementById("count-button");
    var countOutput = document.getElementById("lot-count");
    var countError = document.getElementById("lot-error");
    countButton.addEventListener("click", function (event) {
      if (!window.fetch || !window.FormData) { return; }  // the plain round trip does it
      event.preventDefault();
      var data = new FormData();
      data.append("csrfmiddlewaretoken", fileForm.querySelector("[name=csrfmiddlewaretoken]").value);
      data.append("lot_expression", document.getElementById("id_lot_expression").value);
      data.append("action", "count");
      countOutput.textContent = "…";
      countError.hidden = true;
      countError.textContent = "";
      fetch(fileForm.dataset.countUrl, {
        method: "POST", body: data, credentials: "same-origin", headers: {"Accept": "application/json"}
      }).then(function (response) {
        return response.json();
      }).then(function (answer) {
        if (answer.ok) {
          countOutput.textContent = answer.message;
        } else {
          countOutput.textContent = "";
          countError.textContent = answer.message;
          countError.hidden = false;
        }
      }).catch(function () {
        countOutput.textContent = "";
        fileForm.requestSubmit(countButton);  // fall back on the plain round trip
      });
    });
    fileForm.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.id === "analyse-button") {
        showProgress(fileForm, button, "#analyse-progress");
      }
    });
  }

  document.querySelectorAll("form[data-import-form]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter || form.querySelector("button[type=submit]");
      showProgress(form, button, "[data-progress]");
    });
  });
})();
