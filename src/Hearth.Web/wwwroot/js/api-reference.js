// The API reference's "try it" forms: builds the request from the form (path parameters into the path,
// query parameters into the query string, a JSON body when the operation takes one), sends it with the
// signed-in user's session cookie (same origin) and shows the status and the response body.
// No inline script or style is used: the page's Content Security Policy forbids them.

const forms = document.querySelectorAll('form.hearth-api-form');
document.querySelectorAll('.hearth-api-nojs').forEach((el) => { el.hidden = true; });

function buildUrl(form) {
  let path = form.dataset.path;
  const query = new URLSearchParams();
  const missing = [];
  form.querySelectorAll('input[data-in]').forEach((input) => {
    const value = input.value.trim();
    if (input.dataset.in === 'path') {
      if (value === '') {
        missing.push(input.dataset.name);
      }
      path = path.replace('{' + input.dataset.name + '}', encodeURIComponent(value));
    } else if (value !== '') {
      query.append(input.dataset.name, value);
    }
  });
  const text = query.toString();
  return { url: text === '' ? path : path + '?' + text, missing };
}

async function send(form) {
  const result = document.getElementById(form.dataset.result);
  const status = result.querySelector('.hearth-api-status');
  const output = result.querySelector('.hearth-api-response');
  const { url, missing } = buildUrl(form);
  result.hidden = false;
  if (missing.length > 0) {
    status.textContent = 'Enter ' + missing.join(', ') + ': the path needs ' + (missing.length === 1 ? 'it' : 'them') + '.';
    output.textContent = '';
    return;
  }

  const method = form.dataset.method;
  const options = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  const body = form.querySelector('[data-body]');
  if (body && method !== 'GET') {
    options.headers['Content-Type'] = 'application/json';
    options.body = body.value;
  }

  status.textContent = 'Sending ' + method + ' ' + url + ' …';
  output.textContent = '';
  try {
    const started = performance.now();
    const response = await fetch(url, options);
    const elapsed = Math.round(performance.now() - started);
    const text = await response.text();
    let shown = text;
    try {
      shown = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // Not JSON: show it as it came.
    }
    status.textContent = method + ' ' + url + ' → ' + response.status + ' ' + response.statusText + ' (' + elapsed + ' ms)';
    output.textContent = shown === '' ? '(empty body)' : shown;
  } catch (error) {
    status.textContent = method + ' ' + url + ' failed: ' + error.message;
  }
}

forms.forEach((form) => {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send(form);
  });
});
