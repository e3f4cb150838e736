// Passkeys on the account and sign-in pages. WebAuthn needs the browser's JavaScript, so these parts
// of the pages show only where it runs; each one calls the JSON API with the page's form token.
(function () {
  'use strict';
  var webauthn = window.SimpleWebAuthnBrowser;
  var root = document.querySelector('[data-passkeys]');
  if (!root || !webauthn || !webauthn.browserSupportsWebAuthn()) return;
  var csrf = root.getAttribute('data-csrf');
  var status = root.querySelector('[data-passkey-status]');

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? 'flash flash-error' : 'flash flash-success';
    status.hidden = false;
  }

  function api(method, path, body) {
    return fetch(path, {
      method: method,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (response) {
      if (response.status === 204) return null;
      return response.json().then(function (json) {
        if (!response.ok) throw new Error(json.message || 'The request was refused (' + response.status + ').');
        return json;
      });
    });
  }

  // The browser's own refusals (the person cancelled, the time ran out) are said plainly.
  function failed(error) {
    var cancelled = error && (error.name === 'NotAllowedError' || error.name === 'AbortError');
    say(cancelled ? 'The passkey request was cancelled or timed out. Try again.' : error.message, true);
  }

  function busy(button, on) {
    button.disabled = on;
    button.setAttribute('aria-busy', on ? 'true' : 'false');
  }

  root.querySelectorAll('[data-passkey-only]').forEach(function (part) {
    part.hidden = false;
  });

  var add = root.querySelector('form[data-passkey-add]');
  if (add) {
    add.addEventListener('submit', function (event) {
      event.preventDefault();
      var button = add.querySelector('button');
      var name = add.querySelector('input[name="name"]').value;
      busy(button, true);
      api('POST', '/api/v1/auth/passkeys/registration-options')
        .then(function (options) {
          return webauthn.startRegistration({ optionsJSON: options });
        })
        .then(function (response) {
          return api('POST', '/api/v1/auth/passkeys', { name: name, response: response });
        })
        .then(function (passkey) {
          say('The passkey “' + passkey.name + '” was added. You can now sign in with it.');
          window.location.assign('/account');
        })
        .catch(failed)
        .finally(function () {
          busy(button, false);
        });
    });
  }

  root.querySelectorAll('form[data-passkey-remove]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var button = form.querySelector('button');
      var password = form.querySelector('input[name="password"]').value;
      busy(button, true);
      api('POST', '/api/v1/auth/step-up/passkey/options')
        .then(function (options) {
          return webauthn.startAuthentication({ optionsJSON: options });
        })
        .then(function (response) {
          return api('DELETE', '/api/v1/auth/passkeys/' + encodeURIComponent(form.getAttribute('data-passkey-remove')), { password: password, response: response });
        })
        .then(function () {
          say('The passkey was removed.');
          window.location.assign('/account');
        })
        .catch(failed)
        .finally(function () {
          busy(button, false);
        });
    });
  });

  var signIn = root.querySelector('button[data-passkey-sign-in]');
  if (signIn) {
    signIn.addEventListener('click', function () {
      busy(signIn, true);
      api('POST', '/api/v1/auth/login/passkey/options')
        .then(function (options) {
          return webauthn.startAuthentication({ optionsJSON: options });
        })
        .then(function (response) {
          return api('POST', '/api/v1/auth/login/passkey', { response: response });
        })
        .then(function () {
          say('Signed in.');
          window.location.assign(signIn.getAttribute('data-next') || '/');
        })
        .catch(failed)
        .finally(function () {
          busy(signIn, false);
        });
    });
  }
})();
