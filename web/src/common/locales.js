// The pages' languages and the locale each formats with; Indonesian is the default.
export const LOCALES = { id: 'id-ID', en: 'en-GB' };
export const DEFAULT_LANG = 'id';
