// Import wizard (managers and admins): pick what to import and a CSV file, check and change the suggested
// mapping and the options, dry-run it, import it, undo a batch — all through the page handler
// (admin/pages/import-wizard.page.ts), i.e. the API's ImportService with its rules, report and audit.
import React, { useCallback, useEffect, useState } from 'react';
import { Box, Button, Icon, MessageBox, Text } from '@adminjs/design-system';
import { ConfirmDialog, PageFrame, Problem } from './admin-page-kit.jsx';
import { BatchesTable, MappingTable, ReportView, SELECT_STYLE, entityLabel } from './import-wizard-parts.jsx';
import { failure, readPage, uploadPage, writePage } from './page-api.js';

const PAGE = 'importWizard';
const BATCHES_SHOWN = 20;
const label = { fontSize: 13, color: '#374151', display: 'inline-flex', alignItems: 'center', gap: 6 };
const panel = { borderRadius: 8, border: '1px solid #e3e7ee' };

const megabytes = (n) => `${Math.round(n / 1024 / 1024)} MB`;

/** A refusal in words: an undo refused (409) names the changed record; a 413 says how large a file may be. */
const refusal = (err, fileLimit) => {
  const { status, code, message, details } = failure(err);
  if (status === 413) return `The file is too large: at most ${megabytes(fileLimit)}.`;
  const changed = code === 'IMPORT_CHANGED_SINCE' ? (details?.records ?? []) : [];
  if (changed.length === 0) return message;
  const [first] = changed;
  const more = changed.length > 1 ? ` (and ${changed.length - 1} more)` : '';
  return `Not undone — nothing was changed: the ${first.entityType} “${first.name}”${more} ${first.reason}. Undoing the import would lose that.`;
};

/** One of the import's yes/no options, as a labelled checkbox. */
const OptionBox = ({ name, testId, options, onChange, children }) => (
  <label style={label}>
    <input
      type="checkbox"
      data-testid={testId}
      checked={options[name]}
      onChange={(e) => onChange(name, e.target.checked)}
    />
    {children}
  </label>
);

const DEFAULT_OPTIONS = { onDuplicate: 'skip', partial: false, dayFirst: false };

const ImportWizard = () => {
  const [meta, setMeta] = useState(undefined);
  const [entityType, setEntityType] = useState('');
  const [file, setFile] = useState(null);
  // A new file input after an import: picking the same file again is a change the browser reports.
  const [fileInput, setFileInput] = useState(0);
  const [plan, setPlan] = useState(null);
  const [mapping, setMapping] = useState({});
  const [options, setOptions] = useState(DEFAULT_OPTIONS);
  const [dryRun, setDryRun] = useState(null);
  const [imported, setImported] = useState(null);
  const [busy, setBusy] = useState('');
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [undoing, setUndoing] = useState(null);
  const fileLimit = meta?.fileLimit ?? 0;
  useEffect(() => {
    if (error) document.querySelector('[data-testid="page-error"]')?.scrollIntoView({ block: 'nearest' });
  }, [error]);

  const load = useCallback(
    () =>
      readPage(PAGE, { limit: BATCHES_SHOWN }).then(
        (answer) => {
          setMeta(answer);
          setEntityType((current) => current || answer.entityTypes[0] || '');
        },
        (e) => {
          setError(failure(e).message);
          setMeta((current) => current || { entityTypes: [], batches: { data: [], total: 0 } });
        },
      ),
    [],
  );
  useEffect(() => {
    load();
  }, [load]);

  /** Runs one step; its answer, or its refusal shown in words. */
  const step = async (name, send) => {
    setBusy(name);
    setError(null);
    setNotice(null);
    try {
      return await send();
    } catch (e) {
      setError(refusal(e, fileLimit));
      return undefined;
    } finally {
      setBusy('');
    }
  };

  const suggest = async (chosen, type) => {
    setPlan(null);
    setDryRun(null);
    setImported(null);
    if (!chosen || !type) return;
    if (chosen.size > fileLimit) {
      setError(`The file is too large: at most ${megabytes(fileLimit)}.`);
      return;
    }
    const answer = await step('suggest', () => uploadPage(PAGE, 'suggest', chosen, { entityType: type }));
    if (answer) {
      setPlan(answer);
      setMapping(answer.mapping);
    }
  };
  const chooseFile = (e) => {
    const chosen = e.target.files?.[0] ?? null;
    setFile(chosen);
    suggest(chosen, entityType);
  };
  const chooseType = (type) => {
    setEntityType(type);
    suggest(file, type);
  };
  const changed = (apply) => {
    apply();
    setDryRun(null);
  };
  const setOption = (name, value) => changed(() => setOptions((o) => ({ ...o, [name]: value })));

  const send = (action) =>
    uploadPage(PAGE, action, file, { entityType: plan.entityType, mapping, ...options });
  const runDry = async () => {
    const answer = await step('dryRun', () => send('dryRun'));
    if (answer) setDryRun(answer.report);
  };
  const runImport = async () => {
    const answer = await step('run', () => send('run'));
    if (!answer) return;
    if (answer.report.status === 'committed') {
      setImported({ ...answer.report, fileName: file.name });
      setPlan(null);
      setDryRun(null);
      setFile(null);
      setFileInput((n) => n + 1);
      load();
    } else setDryRun(answer.report);
  };
  const undo = async () => {
    const batch = undoing;
    setUndoing(null);
    const answer = await step('undo', () => writePage(PAGE, 'undo', { id: batch.id }));
    if (!answer) return;
    setNotice(
      `Undone: ${answer.batch.fileName || 'the import'} — what it created is removed, what it updated is restored.`,
    );
    if (imported?.batchId === batch.id) setImported(null);
    load();
  };

  return (
    <PageFrame
      testId="import-wizard"
      title="Import wizard"
      intro={`Import contacts, organizations, opportunities, LP profiles, communications or tasks from a CSV file (UTF-8, header row first, at most ${fileLimit ? megabytes(fileLimit) : '…'}). Nothing is written until you press Import; every import can be undone.`}
    >
      <Problem text={error} />
      {notice ? <MessageBox mb="lg" variant="success" message={notice} data-testid="import-notice" /> : null}
      <Box
        bg="white"
        p="lg"
        style={{ ...panel, display: 'flex', gap: 24, flexWrap: 'wrap', alignItems: 'center' }}
      >
        <label style={label}>
          Import
          <select
            data-testid="import-entity"
            value={entityType}
            onChange={(e) => chooseType(e.target.value)}
            disabled={!meta}
            style={SELECT_STYLE}
          >
            {(meta?.entityTypes ?? []).map((t) => (
              <option key={t} value={t}>
                {entityLabel(t)}
              </option>
            ))}
          </select>
        </label>
        <label style={label}>
          CSV file
          <input
            key={fileInput}
            type="file"
            accept=".csv,text/csv"
            data-testid="import-file"
            onChange={chooseFile}
            disabled={!meta}
          />
        </label>
        {busy ? (
          <Text color="grey60" data-testid="import-busy" role="status">
            {
              {
                suggest: 'Reading the file…',
                dryRun: 'Checking every row…',
                run: 'Importing…',
                undo: 'Undoing…',
              }[busy]
            }
          </Text>
        ) : null}
      </Box>

      {plan ? (
        <Box mt="xl" data-testid="import-plan">
          <Text mb="default">
            <b>{plan.fileName}</b>: {plan.rows} {plan.rows === 1 ? 'row' : 'rows'} of{' '}
            {entityLabel(plan.entityType).toLowerCase()}. Check what each column is imported as.
          </Text>
          <MappingTable
            columns={plan.columns}
            mapping={mapping}
            targets={plan.targets}
            onChange={(column, target) => changed(() => setMapping((m) => ({ ...m, [column]: target })))}
          />
          <Box mt="lg" flex alignItems="center" style={{ gap: 24, flexWrap: 'wrap' }}>
            <label style={label}>
              A row that matches a record
              <select
                data-testid="import-duplicates"
                value={options.onDuplicate}
                onChange={(e) => setOption('onDuplicate', e.target.value)}
                style={SELECT_STYLE}
              >
                <option value="skip">is skipped</option>
                <option value="update">updates the record</option>
                <option value="create">is created anyway</option>
              </select>
            </label>
            <OptionBox name="partial" testId="import-partial" options={options} onChange={setOption}>
              Import the good rows when some are rejected
            </OptionBox>
            <OptionBox name="dayFirst" testId="import-day-first" options={options} onChange={setOption}>
              Dates are day first (15/3/2024)
            </OptionBox>
          </Box>
          <Box mt="lg" flex style={{ gap: 8 }}>
            <Button
              type="button"
              variant="outlined"
              onClick={runDry}
              disabled={!!busy}
              data-testid="import-dry-run"
            >
              <Icon icon="CheckSquare" />
              Dry run
            </Button>
            <Button
              type="button"
              variant="contained"
              onClick={runImport}
              disabled={!!busy || !dryRun}
              title={dryRun ? undefined : 'Make a dry run first'}
              data-testid="import-run"
            >
              <Icon icon="Upload" />
              Import
            </Button>
          </Box>
          {dryRun ? <ReportView report={dryRun} testId="dry-run-report" /> : null}
        </Box>
      ) : null}

      {imported ? (
        <Box mt="xl" bg="white" p="lg" style={panel} data-testid="import-done">
          <ReportView report={imported} testId="import-report" mt={0} />
          <Button
            type="button"
            variant="outlined"
            mt="default"
            disabled={!!busy}
            onClick={() => setUndoing({ id: imported.batchId, fileName: imported.fileName })}
            data-testid="import-undo"
          >
            <Icon icon="RotateCcw" />
            Undo this import
          </Button>
        </Box>
      ) : null}

      <BatchesTable batches={meta?.batches} busy={!!busy} onUndo={setUndoing} />
      {undoing ? (
        <ConfirmDialog
          testId="undo-dialog"
          title={`Undo the import of ${undoing.fileName || 'this file'}?`}
          confirmLabel="Undo import"
          onCancel={() => setUndoing(null)}
          onConfirm={undo}
        >
          The records it created are removed and those it updated get their earlier values back. If any of
          them was changed since, nothing is undone and you are told which.
        </ConfirmDialog>
      ) : null}
    </PageFrame>
  );
};

export default ImportWizard;
