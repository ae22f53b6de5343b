// Bulk update: a CSV file "Username,MFA Status" sent as it is (the service checks the encoding), and the report of
// every row. Any wrong row means nothing was changed; the page says so before the table.
import { ApiFailure, call, el } from './web.js';
import { $, busy, hide, say, showFailure, stateLabel } from './admin-common.js';

const MAX_BYTES = 1024 * 1024;

export function initBulk() {
  $('bulk-form').addEventListener('submit', upload);
  $('bulk-file').addEventListener('change', () => {
    hide($('bulk-error'));
    say($('bulk-status'), '');
    $('bulk-report').hidden = true;
  });
  return () => {};
}

async function upload(event) {
  event.preventDefault();
  const error = $('bulk-error');
  hide(error);
  say($('bulk-status'), '');
  $('bulk-report').hidden = true;
  const file = $('bulk-file').files[0];
  if (!file) {
    showFailure(error, 'Choose a CSV file first.');
    $('bulk-file').focus();
    return;
  }
  if (file.size > MAX_BYTES) {
    showFailure(error, 'This file is larger than 1 MB. Split it into smaller files.');
    return;
  }
  try {
    const answer = await busy($('bulk-upload'), 'Checking…',
        () => call('POST', '/api/v1/admin/users/bulk-mfa', new Blob([file], { type: 'text/csv' })));
    say($('bulk-status'), answer.message || `${answer.applied} rows applied.`);
    report(answer.rows || [], true);
  } catch (failure) {
    const rows = failure instanceof ApiFailure && failure.details && Array.isArray(failure.details.rows)
        ? failure.details.rows : [];
    const bad = rows.filter((row) => row.error).length;
    showFailure(error, failure);
    if (failure instanceof ApiFailure && failure.code === 'invalid_csv') {
      error.replaceChildren(
          el('strong', {}, 'Nothing was changed. '),
          bad > 0 ? `${bad} of ${rows.length} ${rows.length === 1 ? 'row' : 'rows'} ${bad === 1 ? 'has' : 'have'} a problem: fix `
              + `${bad === 1 ? 'it' : 'them'} and upload the whole file again.` : failure.message);
    }
    if (rows.length > 0) {
      report(rows, false);
    }
  }
}

function report(rows, applied) {
  $('bulk-report-heading').textContent = applied ? 'Applied' : 'Check of each row';
  $('bulk-rows').replaceChildren(...rows.map((row) => el('tr', { class: row.error ? 'row-bad' : '' },
      el('td', { 'data-label': 'Line' }, String(row.line)),
      el('td', { 'data-label': 'Username' }, row.username || '—'),
      el('td', { 'data-label': 'MFA status' }, row.mfaStatus || '—'),
      el('td', { 'data-label': 'Result' }, result(row, applied)))));
  $('bulk-report').hidden = false;
}

function result(row, applied) {
  if (row.error) {
    return el('span', { class: 'result-bad' }, row.error);
  }
  if (!applied) {
    return el('span', { class: 'result-ok' }, 'Valid, but not applied');
  }
  if (row.changed === false) {
    return el('span', { class: 'result-ok' }, 'No change');
  }
  return el('span', { class: 'result-ok' }, row.previous
      ? `Changed from ${stateLabel(row.previous)}` : 'Changed');
}
