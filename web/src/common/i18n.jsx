// The pages' languages: Indonesian first, English on request (remembered in this browser).
// Every text a page shows comes from a message catalogue, `<view>.messages.js` beside the
// view, in ICU MessageFormat (intl-messageformat): `{count, plural, one {…} other {…}}`,
// `{name}`. tests/i18n.test.mjs (and the build) refuse a catalogue whose languages do not
// have the same keys and the same placeholders.
//
// Dates and times are shown in the business's time zone (GET /settings), named on the page.
import { createContext } from 'preact';
import { useContext, useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { formatter } from './format.js';
import { DEFAULT_LANG, LOCALES } from './locales.js';
import { translate } from './translate.js';

export { DEFAULT_LANG, LOCALES, translate };
export const DEFAULT_ZONE = 'Asia/Makassar';
const LANG_KEY = 'janji.lang';

export function storedLang() {
  try {
    const v = localStorage.getItem(LANG_KEY);
    return v in LOCALES ? v : DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG;
  }
}

function rememberLang(lang) {
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch {
    // a browser without storage forgets the choice
  }
}

const I18n = createContext({ lang: DEFAULT_LANG, setLang: () => {}, zone: DEFAULT_ZONE, settings: null });

let settingsPromise = null;
/// GET /settings once per page: the business's time zone and capacity.
function loadSettings() {
  settingsPromise ??= fetch('/settings', { headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : null))
    .catch(() => null);
  return settingsPromise;
}

/// Gives the pages below it their language and the business's settings; sets the document's
/// `lang` and, with `title` (a key of `catalogue`), its title.
export function I18nProvider({ children, catalogue, title }) {
  const [lang, setLangState] = useState(storedLang);
  const [settings, setSettings] = useState(undefined);
  useEffect(() => {
    loadSettings().then(setSettings);
  }, []);
  // Before the page in the new language is painted, so that no reader (or test) ever sees
  // its texts under the old `lang`.
  useLayoutEffect(() => {
    document.documentElement.lang = lang;
    if (catalogue && title) document.title = translate(catalogue, lang, title);
  }, [lang]);
  const value = useMemo(
    () => ({
      lang,
      setLang: (next) => {
        rememberLang(next);
        setLangState(next);
      },
      zone: settings?.business_timezone || DEFAULT_ZONE,
      settings: settings ?? null,
    }),
    [lang, settings],
  );
  // Until the settings are known the pages would show times in a zone that may be wrong.
  if (settings === undefined) return null;
  return <I18n.Provider value={value}>{children}</I18n.Provider>;
}

/// {t, lang, setLang, zone, settings, fmt} for a view whose texts are in `catalogue`: `t(key,
/// values)` its text, `fmt` the formats of money, dates and times in this language and zone.
export function useI18n(catalogue) {
  const ctx = useContext(I18n);
  return useMemo(
    () => ({
      ...ctx,
      t: (key, values) => translate(catalogue, ctx.lang, key, values),
      fmt: formatter(LOCALES[ctx.lang], ctx.zone),
    }),
    [ctx, catalogue],
  );
}

const switchText = { id: 'English', en: 'Bahasa Indonesia' };

/// The button that switches to the other language, labelled in that language.
export function LangSwitch() {
  const { lang, setLang } = useContext(I18n);
  const other = lang === 'id' ? 'en' : 'id';
  return (
    <button type="button" class="secondary lang-switch" lang={other} onClick={() => setLang(other)} data-testid="lang-switch">
      {switchText[lang]}
    </button>
  );
}
