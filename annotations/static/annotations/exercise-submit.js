/**
 * Ask before submitting an exercise attempt: the Submit button ([data-submit] in a
 * [data-submit-form]) opens the form's <dialog data-submit-dialog> as a modal (the focus moves
 * into it, on "Keep working"), which says what submitting does. "Submit and lock my work"
 * (a submit button of the same form) submits, once; "Keep working", Escape or closing the
 * dialog leaves the work as it is and gives the focus back to the Submit button.
 * Without this script the button submits at once.
 */
for (const form of document.querySelectorAll("[data-submit-form]")) {
  const dialog = form.querySelector("[data-submit-dialog]");
  const button = form.querySelector("[data-submit]");
  if (!dialog || !button || typeof dialog.showModal !== "function") continue;
  const confirm = dialog.querySelector("[data-submit-confirm]");
  let sent = false;
  form.addEventListener("submit", (event) => {
    if (event.submitter === confirm) {
      if (sent) event.preventDefault(); // a second press while the first is on its way
      sent = true;
      return;
    }
    event.preventDefault();
    if (!dialog.open) dialog.showModal();
  });
  dialog.querySelector("[data-submit-cancel]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    if (!sent) button.focus();
  });
}
