// A stand-in for Stripe.js (https://js.stripe.com/v3/) in the browser tests, served by
// dev/stripe-stand-in.py at /js.stripe.com/v3/ beside its stand-in for Stripe's API. It is the
// part of the library the store's order page uses, and it sends what Stripe.js sends:
//
//   const stripe = Stripe(publishableKey);
//   const card = stripe.elements().create('card');
//   card.mount(element);
//   const { paymentIntent, error } = await stripe.confirmCardPayment(clientSecret,
//     { payment_method: { card } });
//
// confirmCardPayment posts the card typed in the element to
// /v1/payment_intents/ID/confirm with the publishable key and the intent's client secret.
// Stripe's card element lives in a frame of Stripe's; this one is three labelled inputs.
(() => {
  const api = document.currentScript.src.replace(/\/js\.stripe\.com\/v3\/$/, '');

  class CardElement {
    mount(host) {
      const into = typeof host === 'string' ? document.querySelector(host) : host;
      this.inputs = {};
      this.root = document.createElement('div');
      this.root.className = 'stand-in-card';
      for (const [name, label, example] of [
        ['number', 'Card number', '4242 4242 4242 4242'],
        ['expiry', 'Expiry (MM/YY)', '12/34'],
        ['cvc', 'CVC', '123'],
      ]) {
        const field = document.createElement('label');
        field.textContent = label;
        const input = document.createElement('input');
        input.name = name;
        input.placeholder = example;
        input.inputMode = 'numeric';
        input.autocomplete = 'off';
        field.append(input);
        this.root.append(field);
        this.inputs[name] = input;
      }
      into.append(this.root);
    }

    unmount() {
      this.root?.remove();
    }

    destroy() {
      this.unmount();
    }

    /** The card as Stripe's API takes it. */
    card() {
      const [month = '', year = ''] = this.inputs.expiry.value.split('/');
      return {
        number: this.inputs.number.value.replace(/\s/g, ''),
        exp_month: month.trim(),
        exp_year: year.trim(),
        cvc: this.inputs.cvc.value.trim(),
      };
    }
  }

  window.Stripe = (key) => ({
    elements: () => ({
      create(type) {
        if (type !== 'card') throw new Error(`the stand-in makes card elements only, not ${type}`);
        return new CardElement();
      },
    }),

    async confirmCardPayment(clientSecret, { payment_method: { card } }) {
      const intent = clientSecret.split('_secret_')[0];
      const body = new URLSearchParams({
        key,
        client_secret: clientSecret,
        'payment_method_data[type]': 'card',
      });
      for (const [field, value] of Object.entries(card.card())) {
        body.append(`payment_method_data[card][${field}]`, value);
      }
      try {
        const response = await fetch(`${api}/v1/payment_intents/${intent}/confirm`, { method: 'POST', body });
        const answer = await response.json();
        if (!response.ok) return { error: answer.error };
        if (answer.status !== 'succeeded') {
          return { error: { message: `the stand-in cannot finish a payment that is ${answer.status}` } };
        }
        return { paymentIntent: answer };
      } catch (failure) {
        return { error: { message: String(failure) } };
      }
    },
  });
})();
