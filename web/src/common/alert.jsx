// A message above a form or a list. An error interrupts (role=alert, read out at once); any
// other kind is a status, read out when the reader is idle. With nothing to say it shows
// nothing, so a view may always render `<Alert>{error}</Alert>`.
export function Alert({ kind = 'error', as: Tag = 'p', class: extra, children, ...props }) {
  if (!children) return null;
  return (
    <Tag class={['alert', kind, extra].filter(Boolean).join(' ')} role={kind === 'error' ? 'alert' : 'status'} {...props}>
      {children}
    </Tag>
  );
}
