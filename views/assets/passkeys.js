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

  // One ceremony: the button waits while the browser and the server answer, then the page moves on.
  function ceremony(button, work, done) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    work()
      .then(done)
      .catch(failed)
      .finally(function () {
        button.disabled = false;
        button.setAttribute('aria-busy', 'false');
      });
  }

  // Options from the server, the authenticator's answer to them, and that answer sent on.
  function answer(start, optionsPath, send) {
    return api('POST', optionsPath)
      .then(function (json) {
        return start({ optionsJSON: json });
      })
      .then(send);
  }

  // A passkey's answer to a challenge from `optionsPath`, sent to `path`.
  function assertion(optionsPath, path) {
    return function () {
      return answer(webauthn.startAuthentication, optionsPath, function (response) {
        return api('POST', path, { response: response });
      });
    };
  }

  root.querySelectorAll('[data-passkey-only]').forEach(function (part) {
    part.hidden = false;
  });

  var add = root.querySelector('form[data-passkey-add]');
  if (add) {
    add.addEventListener('submit', function (event) {
      event.preventDefault();
      var name = add.querySelector('input[name="name"]').value;
      ceremony(
        add.querySelector('button'),
        function () {
          return answer(webauthn.startRegistration, '/api/v1/auth/passkeys/registration-options', function (response) {
            return api('POST', '/api/v1/auth/passkeys', { name: name, response: response });
          });
        },
        function (passkey) {
          say('The passkey “' + passkey.name + '” was added. You can now sign in with it.');
          window.location.assign('/account');
        },
      );
    });
  }

  root.querySelectorAll('form[data-passkey-remove]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var password = form.querySelector('input[name="password"]').value;
      var id = form.getAttribute('data-passkey-remove');
      ceremony(
        form.querySelector('button'),
        function () {
          return answer(webauthn.startAuthentication, '/api/v1/auth/step-up/passkey/options', function (response) {
            return api('DELETE', '/api/v1/auth/passkeys/' + encodeURIComponent(id), { password: password, response: response });
          });
        },
        function () {
          say('The passkey was removed.');
          window.location.assign('/account');
        },
      );
    });
  });

  // A consequential act refused for want of a fresh factor: the passkey proves it on this session, and
  // the act's form, as the person filled it in, is sent again (without a code, which is not needed now).
  var stepUp = root.querySelector('button[data-passkey-step-up]');
  if (stepUp) {
    stepUp.addEventListener('click', function () {
      var form = stepUp.closest('form');
      ceremony(
        stepUp,
        assertion('/api/v1/auth/step-up/passkey/options', '/api/v1/auth/step-up/passkey'),
        function () {
          say('Confirmed with your passkey.');
          var code = form.querySelector('input[name="stepUpCode"]');
          if (code) code.remove();
          HTMLFormElement.prototype.submit.call(form);
        },
      );
    });
  }

  var signIn = root.querySelector('button[data-passkey-sign-in]');
  if (signIn) {
    signIn.addEventListener('click', function () {
      ceremony(
        signIn,
        assertion('/api/v1/auth/login/passkey/options', '/api/v1/auth/login/passkey'),
        function () {
          say('Signed in.');
          window.location.assign(signIn.getAttribute('data-next') || '/');
        },
      );
    });
  }
})();
