// One message of a catalogue in one language (ICU MessageFormat, intl-messageformat).
import { IntlMessageFormat } from 'intl-messageformat';
import { DEFAULT_LANG, LOCALES } from './locales.js';

const compiled = new WeakMap(); // catalogue → Map(`${lang}\u0000${key}` → IntlMessageFormat)

/// The text of `key` in `lang` from `catalogue` ({id: {...}, en: {...}}), with `values` put
/// in. A key the catalogue lacks shows as itself (the tests keep that from happening).
export function translate(catalogue, lang, key, values) {
  const source = catalogue[lang]?.[key] ?? catalogue[DEFAULT_LANG]?.[key];
  if (source === undefined) return key;
  let cache = compiled.get(catalogue);
  if (!cache) compiled.set(catalogue, (cache = new Map()));
  const id = `${lang}\u0000${key}`;
  let message = cache.get(id);
  if (!message) cache.set(id, (message = new IntlMessageFormat(source, LOCALES[lang])));
  return message.format(values);
}

