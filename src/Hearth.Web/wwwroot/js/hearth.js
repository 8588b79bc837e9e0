// Marks the page as script-enabled (GOV.UK Frontend styles depend on it) and starts its components.
import { initAll } from '/lib/govuk-frontend/govuk-frontend.min.js';

document.body.classList.add('js-enabled');
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported');
}
initAll();
