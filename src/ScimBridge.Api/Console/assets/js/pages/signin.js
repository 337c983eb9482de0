import { post } from '../api.js';
import { h, mount, notice } from '../dom.js';

export function renderSignIn(main, onSignedIn) {
  document.title = 'Sign in · ScimBridge console';
  const message = h('div', { id: 'sign-in-message' });
  const name = h('input', { name: 'name', id: 'name', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', id: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', id: 'sign-in' }, 'Sign in');
  const form = h('form', {
    onsubmit: async event => {
      event.preventDefault();
      submit.disabled = true;
      mount(message);
      try {
        const session = await post('/console/api/sign-in', { name: name.value, password: password.value });
        password.value = '';
        await onSignedIn(session);
      } catch (error) {
        mount(message, notice(error.status === 429 ? 'Too many failed attempts; wait a minute and try again.' : error.message, 'error'));
        password.value = '';
        password.focus();
      } finally {
        submit.disabled = false;
      }
    },
  },
  h('label', {}, 'Operator name', name),
  h('label', {}, 'Password', password),
  submit);
  mount(main, h('section', { class: 'card signin' }, h('h1', {}, 'ScimBridge console'), h('p', { class: 'muted' }, 'Sign in as an operator.'), message, form));
  name.focus();
}
