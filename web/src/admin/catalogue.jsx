// The catalogue: the packages of GET /services/packages, each with its service types and
// prices, and the forms that add, change and delete them. A price is typed the way the
// owner writes it ("1.500.000"); catalogue-rules.js reads it. Deleting asks again in the
// page; what the server refuses (a type that has bookings) is said in the package's card.
// After every change the list is loaded again.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../common/alert.jsx';
import { api } from '../common/api.js';
import common from '../common/common.messages.js';
import { useI18n } from '../common/i18n.jsx';
import { useApi } from '../common/use-api.js';
import { packageForm, priceInput, serviceTypeForm } from './catalogue-rules.js';
import { ConfirmDelete, Field, focusFirstError, useAction, useEditMode } from './forms.jsx';
import messages from './catalogue.messages.js';
import { Listing } from './listing.jsx';
import { Section } from './section.jsx';

/// The fields of a package, to add one (`initial` empty) or change one.
function PackageForm({ idPrefix, initial, submitLabel, title, busy, onSubmit, onCancel, autoFocus }) {
  const { t } = useI18n(messages);
  const { t: w } = useI18n(common);
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState({});
  const first = useRef(null);
  // As the form is put in, not after the next frame (useEffect): what the owner types or
  // clicks meanwhile must not have its focus taken away.
  useLayoutEffect(() => {
    if (autoFocus) first.current?.focus();
  }, []);
  const set = (key) => (e) => setValues({ ...values, [key]: e.currentTarget.value });
  const err = (key) => errors[key] && t(`error.${errors[key].key}`, errors[key]);
  const submit = async (e) => {
    e.preventDefault();
    const checked = packageForm(values);
    setErrors(checked.errors);
    if (!checked.body) return focusFirstError(checked.errors, ['name', 'description'], (f) => `${idPrefix}-${f}`);
    if ((await onSubmit(checked.body)) && !onCancel) {
      setValues(initial);
      first.current?.focus();
    }
  };
  return (
    <form onSubmit={submit} aria-label={title} noValidate>
      <Field id={`${idPrefix}-name`} label={t('packageName')} error={err('name')} inputRef={first} type="text" maxLength={120} value={values.name} onInput={set('name')} />
      <Field
        id={`${idPrefix}-description`}
        label={t('packageDescription')}
        error={err('description')}
        as="textarea"
        rows={2}
        value={values.description}
        onInput={set('description')}
      />
      <div class="row actions">
        <button type="submit" disabled={busy}>
          {busy ? t('saving') : submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="secondary" disabled={busy} onClick={onCancel}>
            {w('cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/// The fields of a service type, to add one or change one.
function TypeForm({ idPrefix, initial, submitLabel, title, busy, onSubmit, onCancel }) {
  const { t } = useI18n(messages);
  const { t: w } = useI18n(common);
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState({});
  const first = useRef(null);
  // The name takes the focus as the form is put in, not after the next frame: typed into
  // another field meanwhile, the rest of the typing would land in the name.
  useLayoutEffect(() => first.current?.focus(), []);
  const set = (key) => (e) => setValues({ ...values, [key]: e.currentTarget.value });
  const err = (key) => errors[key] && t(`error.${errors[key].key}`, errors[key]);
  const submit = (e) => {
    e.preventDefault();
    const checked = serviceTypeForm(values);
    setErrors(checked.errors);
    if (!checked.body) return focusFirstError(checked.errors, ['name', 'price', 'description'], (f) => `${idPrefix}-${f}`);
    onSubmit(checked.body);
  };
  return (
    <form class="type-form" onSubmit={submit} aria-label={title} noValidate>
      <div class="row">
        <Field id={`${idPrefix}-name`} label={t('typeName')} error={err('name')} inputRef={first} type="text" maxLength={120} value={values.name} onInput={set('name')} />
        <Field
          id={`${idPrefix}-price`}
          label={t('price')}
          hint={t('priceHint')}
          error={err('price')}
          type="text"
          inputMode="decimal"
          autocomplete="off"
          value={values.price}
          onInput={set('price')}
        />
      </div>
      <Field id={`${idPrefix}-description`} label={t('typeDescription')} error={err('description')} as="textarea" rows={2} value={values.description} onInput={set('description')} />
      <div class="row actions">
        <button type="submit" disabled={busy}>
          {busy ? t('saving') : submitLabel}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={onCancel}>
          {w('cancel')}
        </button>
      </div>
    </form>
  );
}

/// One package: its service types, and what can be done to both. `mode` is what is open:
/// null, 'editPackage', 'deletePackage', 'newType', ['editType', id] or ['deleteType', id].
function PackageCard({ pkg, token, onExpired, onChanged }) {
  const { t, fmt } = useI18n(messages);
  const { t: w } = useI18n(common);
  const { mode, setMode, action, open, close, back } = useEditMode(onExpired);
  const types = pkg.service_types ?? [];
  const is = (kind, id) => (Array.isArray(mode) ? mode[0] === kind && mode[1] === id : mode === kind);

  // A 404 means someone else removed it meanwhile: the list is reloaded.
  const explain = (ownConflict) => (err) => {
    if (err.status === 404) {
      onChanged(null);
      return t('gone');
    }
    if (err.status === 409 && ownConflict) return t(ownConflict);
    if (err.status === 400 && /already exists/i.test(err.message)) return t('duplicateName');
    return undefined;
  };
  // A delete (`conflict`: the key of what its 409 means) closes its question also when it
  // fails; `focus` is the id of what takes the focus after it, as its button goes away.
  const change = async (request, notice, conflict = null, focus = null) => {
    const ok = await action.run(request, explain(conflict));
    if (ok && focus) back.current = focus;
    if (ok || conflict) setMode(null);
    if (ok) onChanged(notice);
    return ok;
  };

  const headingId = `pkg-${pkg.id}-heading`;
  return (
    <li class="card package" data-package-id={pkg.id} aria-labelledby={headingId}>
      <div class="top">
        <h3 id={headingId} tabIndex={-1}>
          {pkg.name}
        </h3>
        <span class="badge level">{t('typeCount', { count: types.length })}</span>
      </div>
      {pkg.description && <p class="small muted description">{pkg.description}</p>}

      {is('editPackage') && (
        <PackageForm
          idPrefix={`pkg-${pkg.id}`}
          title={t('editingPackage', { name: pkg.name })}
          initial={{ name: pkg.name, description: pkg.description ?? '' }}
          submitLabel={w('save')}
          busy={action.busy}
          autoFocus
          onCancel={close}
          onSubmit={(body) =>
            change(() => api(`/services/packages/${pkg.id}`, { method: 'PATCH', token, body }), t('packageUpdated', { name: body.name }))
          }
        />
      )}

      {types.length === 0 ? (
        <p class="small muted">{t('noTypes')}</p>
      ) : (
        <ul class="types" aria-label={t('types', { name: pkg.name })}>
          {types.map((st) => (
            <li key={st.id} data-type-id={st.id}>
              {is('editType', st.id) ? (
                <TypeForm
                  idPrefix={`type-${st.id}`}
                  title={t('editingType', { name: st.name })}
                  initial={{ name: st.name, price: priceInput(st.price), description: st.description ?? '' }}
                  submitLabel={w('save')}
                  busy={action.busy}
                  onCancel={close}
                  onSubmit={(body) =>
                    change(
                      () => api(`/services/types/${st.id}`, { method: 'PATCH', token, body }),
                      t('typeUpdated', { name: body.name, price: fmt.money(body.price) }),
                    )
                  }
                />
              ) : (
                <>
                  <div class="type">
                    <div class="type-info">
                      <strong class="type-name">{st.name}</strong>
                      {st.description && <div class="small muted">{st.description}</div>}
                    </div>
                    <span class="price" data-testid="price">
                      {fmt.money(st.price)}
                    </span>
                    {!is('deleteType', st.id) && (
                      <div class="type-actions">
                        <button
                          type="button"
                          class="secondary"
                          id={`type-${st.id}-edit`}
                          aria-label={t('editType', { name: st.name })}
                          onClick={() => open(['editType', st.id], `type-${st.id}-edit`)}
                        >
                          {w('edit')}
                        </button>
                        <button
                          type="button"
                          class="secondary"
                          id={`type-${st.id}-delete`}
                          aria-label={t('deleteType', { name: st.name })}
                          onClick={() => open(['deleteType', st.id], `type-${st.id}-delete`)}
                        >
                          {w('delete')}
                        </button>
                      </div>
                    )}
                  </div>
                  {is('deleteType', st.id) && (
                    <ConfirmDelete
                      id={`type-${st.id}-confirm`}
                      text={t('confirmDeleteType', { name: st.name, price: fmt.money(st.price) })}
                      yes={t('yesDelete')}
                      busy={action.busy}
                      onNo={close}
                      onYes={() =>
                        change(() => api(`/services/types/${st.id}`, { method: 'DELETE', token }), t('typeDeleted', { name: st.name }), 'typeBooked', headingId)
                      }
                    />
                  )}
                </>
              )}
            </li>
          ))}
        </ul>
      )}

      {is('newType') && (
        <TypeForm
          idPrefix={`pkg-${pkg.id}-type`}
          title={t('newTypeIn', { name: pkg.name })}
          initial={{ name: '', price: '', description: '' }}
          submitLabel={t('addType')}
          busy={action.busy}
          onCancel={close}
          onSubmit={(body) =>
            change(
              () => api('/services/types', { method: 'POST', token, body: { package_id: pkg.id, ...body } }),
              t('typeCreated', { name: body.name, package: pkg.name }),
            )
          }
        />
      )}
      {is('deletePackage') && (
        <ConfirmDelete
          id={`pkg-${pkg.id}-confirm`}
          text={t('confirmDeletePackage', { name: pkg.name, count: types.length })}
          yes={t('yesDelete')}
          busy={action.busy}
          onNo={close}
          onYes={() =>
            change(() => api(`/services/packages/${pkg.id}`, { method: 'DELETE', token }), t('packageDeleted', { name: pkg.name }), 'packageBooked', 'packages')
          }
        />
      )}
      <Alert>{action.error}</Alert>
      {mode === null && (
        <div class="row actions">
          <button type="button" id={`pkg-${pkg.id}-add-type`} aria-label={t('addTypeTo', { name: pkg.name })} onClick={() => open('newType', `pkg-${pkg.id}-add-type`)}>
            {t('addType')}
          </button>
          <button
            type="button"
            class="secondary"
            id={`pkg-${pkg.id}-edit`}
            aria-label={t('editPackageOf', { name: pkg.name })}
            onClick={() => open('editPackage', `pkg-${pkg.id}-edit`)}
          >
            {t('editPackage')}
          </button>
          <button
            type="button"
            class="secondary"
            id={`pkg-${pkg.id}-delete`}
            aria-label={t('deletePackageOf', { name: pkg.name })}
            onClick={() => open('deletePackage', `pkg-${pkg.id}-delete`)}
          >
            {t('deletePackage')}
          </button>
        </div>
      )}
    </li>
  );
}

export function Catalogue({ token, onExpired }) {
  const { t } = useI18n(messages);
  const { data: packages, error, reload } = useApi('/services/packages', { token, onExpired });
  const [notice, setNotice] = useState(null);
  const create = useAction(onExpired);

  const changed = (text) => {
    setNotice(text);
    reload();
  };
  const addPackage = (body) =>
    create.run(
      async () => {
        await api('/services/packages', { method: 'POST', token, body });
        changed(t('packageCreated', { name: body.name }));
      },
      (err) => (err.status === 400 && /already exists/i.test(err.message) ? t('duplicateName') : undefined),
    );

  return (
    <Section id="catalogue" title={t('title')}>
      <p class="muted">{t('intro')}</p>
      <div class="card">
        <h3>{t('newPackage')}</h3>
        <PackageForm
          idPrefix="pkg-new"
          title={t('newPackage')}
          initial={{ name: '', description: '' }}
          submitLabel={t('addPackage')}
          busy={create.busy}
          onSubmit={addPackage}
        />
        <Alert>{create.error}</Alert>
      </div>
      <Listing items={packages} error={error} notice={notice} loading={t('loading')} none={t('none')}>
        {() => (
          <ul class="packages" id="packages" tabIndex={-1} aria-label={t('list')}>
            {packages.map((p) => (
              <PackageCard key={p.id} pkg={p} token={token} onExpired={onExpired} onChanged={changed} />
            ))}
          </ul>
        )}
      </Listing>
    </Section>
  );
}
