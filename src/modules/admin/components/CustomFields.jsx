// Custom fields of contacts, organizations, opportunities and LP profiles: one input (or value) per definition,
// in display order. The definitions are loaded when the form or page opens (the resource's hidden
// `customFieldDefinitions` action), so a field defined a minute ago through the API is already here — AdminJS
// itself fixes a resource's properties when the app starts. Values are written as `customFields.<key>`
// params; the server checks them with the custom field validator and answers errors under the same names.
import React, { useEffect, useState } from 'react';
import {
  Badge,
  Box,
  CheckBox,
  CurrencyInput,
  DatePicker,
  FormGroup,
  FormMessage,
  Input,
  Label,
  Select,
  Text,
  TextArea,
} from '@adminjs/design-system';
import { ApiClient, flat } from 'adminjs';

import { dayFromPicker, pickerValue } from './DayPicker.jsx';

const api = new ApiClient();
const MUTED = '#8a94a6';
const WIDE = new Set(['long_text']);

function useDefinitions(resourceId) {
  const [state, setState] = useState({ definitions: null, failed: false });
  useEffect(() => {
    let live = true;
    api
      .resourceAction({ resourceId, actionName: 'customFieldDefinitions' })
      .then((res) => live && setState({ definitions: res.data.definitions || [], failed: false }))
      .catch(() => live && setState({ definitions: [], failed: true }));
    return () => {
      live = false;
    };
  }, [resourceId]);
  return state;
}

const asArray = (value) =>
  Array.isArray(value) ? value : value === undefined || value === null || value === '' ? [] : [value];
const option = (value) => ({ value, label: value });

function FieldInput({ definition, id, value, onChange }) {
  const set = (next) => onChange(next);
  switch (definition.fieldType) {
    case 'long_text':
      return (
        <TextArea
          id={id}
          name={id}
          rows={4}
          width={1}
          value={value ?? ''}
          onChange={(e) => set(e.target.value)}
        />
      );
    case 'number':
      return (
        <Input
          id={id}
          name={id}
          type="number"
          step="any"
          width={1}
          value={value ?? ''}
          onChange={(e) => set(e.target.value)}
        />
      );
    case 'currency':
      return (
        <CurrencyInput
          id={id}
          name={id}
          defaultValue={value ?? ''}
          decimalsLimit={2}
          decimalSeparator="."
          groupSeparator=","
          allowNegativeValue={false}
          onValueChange={(next) => set(next ?? '')}
        />
      );
    case 'date':
      return (
        <DatePicker
          id={id}
          propertyType="date"
          value={pickerValue(value)}
          onChange={(iso) => set(dayFromPicker(iso))}
        />
      );
    case 'select':
      return (
        <Select
          inputId={id}
          isClearable
          value={value ? option(value) : null}
          options={definition.options.map(option)}
          onChange={(selected) => set(selected ? selected.value : '')}
        />
      );
    case 'multi_select':
      return (
        <Select
          inputId={id}
          isMulti
          value={asArray(value).map(option)}
          options={definition.options.map(option)}
          onChange={(selected) => set((selected || []).map((s) => s.value))}
        />
      );
    case 'url':
    case 'email':
      return (
        <Input
          id={id}
          name={id}
          type="text"
          inputMode={definition.fieldType}
          placeholder={definition.fieldType === 'url' ? 'https://' : 'name@example.com'}
          width={1}
          value={value ?? ''}
          onChange={(e) => set(e.target.value)}
        />
      );
    default:
      return <Input id={id} name={id} width={1} value={value ?? ''} onChange={(e) => set(e.target.value)} />;
  }
}

const Help = ({ text }) =>
  text ? (
    <Text mt="sm" fontSize="sm" color="grey60">
      {text}
    </Text>
  ) : null;

function EditField({ definition, record, onChange, errorOf }) {
  const path = `customFields.${definition.key}`;
  const value = flat.get(record.params || {}, path);
  const error = errorOf(path);
  if (definition.fieldType === 'boolean') {
    const checked = value === true || value === 'true';
    return (
      <FormGroup error={!!error} data-testid={`custom-field-${definition.key}`}>
        {/* Level with the inputs of the row, below their labels. */}
        <Box flex alignItems="center" style={{ minHeight: 40, marginTop: 22 }}>
          <CheckBox id={path} name={path} checked={checked} onChange={() => onChange(path, !checked)} />
          <Label inline htmlFor={path} required={definition.required} ml="default" mb="0">
            {definition.label}
          </Label>
        </Box>
        <Help text={definition.helpText} />
        <FormMessage>{error && error.message}</FormMessage>
      </FormGroup>
    );
  }
  return (
    <FormGroup error={!!error} data-testid={`custom-field-${definition.key}`}>
      <Label htmlFor={path} required={definition.required}>
        {definition.label}
      </Label>
      <FieldInput definition={definition} id={path} value={value} onChange={(next) => onChange(path, next)} />
      <Help text={definition.helpText} />
      <FormMessage>{error && error.message}</FormMessage>
    </FormGroup>
  );
}

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function ShownValue({ definition, value, currency }) {
  const none = <span style={{ color: MUTED }}>—</span>;
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0))
    return none;
  switch (definition.fieldType) {
    case 'boolean':
      return value === true || value === 'true' ? 'Yes' : 'No';
    case 'currency':
      return `${currency ? `${currency} ` : ''}${money.format(Number(value))}`;
    case 'number':
      return Number(value).toLocaleString('en-US');
    case 'multi_select':
      return (
        <Box flex flexWrap="wrap" style={{ gap: 4 }}>
          {asArray(value).map((v) => (
            <Badge key={v} size="sm" variant="primary" outline>
              {v}
            </Badge>
          ))}
        </Box>
      );
    case 'url': {
      const href = /^https?:\/\//i.test(value) ? value : `https://${value}`;
      return (
        <a href={href} target="_blank" rel="noopener noreferrer" style={{ color: '#1f4e79' }}>
          {value}
        </a>
      );
    }
    case 'email':
      return (
        <a href={`mailto:${value}`} style={{ color: '#1f4e79' }}>
          {value}
        </a>
      );
    case 'long_text':
      return <span style={{ whiteSpace: 'pre-wrap' }}>{value}</span>;
    default:
      return String(value);
  }
}

function ShowField({ definition, record }) {
  const value = flat.get(record.params || {}, `customFields.${definition.key}`);
  return (
    <Box mb="xl" data-testid={`custom-field-${definition.key}`}>
      <Label variant="light" title={definition.helpText || undefined}>
        {definition.label}
      </Label>
      <Box>
        <ShownValue
          definition={definition}
          value={value}
          currency={record.params && record.params.currency}
        />
      </Box>
    </Box>
  );
}

const CustomFields = ({ resource, record, onChange, where }) => {
  const { definitions, failed } = useDefinitions(resource.id);
  // An error stays under its input until the user changes that input (the next save answers afresh).
  const [edited, setEdited] = useState(() => new Set());
  useEffect(() => setEdited(new Set()), [record.errors]);
  const change = (path, value) => {
    setEdited((before) => new Set(before).add(path));
    onChange(path, value);
  };
  const errorOf = (path) => (edited.has(path) ? undefined : record.errors && record.errors[path]);
  if (failed)
    return (
      <Text color="error" mb="xl">
        The custom fields could not be loaded; reload the page to try again.
      </Text>
    );
  if (!definitions || definitions.length === 0) return null;
  const whole = record.errors && record.errors.customFields;
  return (
    <Box data-testid="custom-fields" mb={where === 'edit' ? 'lg' : 'default'}>
      <Text
        fontSize="sm"
        fontWeight="bold"
        color="grey60"
        mb="lg"
        style={{ textTransform: 'uppercase', letterSpacing: '0.04em' }}
      >
        Custom fields
      </Text>
      {whole ? <FormMessage>{whole.message}</FormMessage> : null}
      <Box
        style={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))',
          columnGap: 24,
        }}
      >
        {definitions.map((definition) => (
          <Box
            key={definition.key}
            style={WIDE.has(definition.fieldType) ? { gridColumn: '1 / -1' } : undefined}
          >
            {where === 'edit' ? (
              <EditField definition={definition} record={record} onChange={change} errorOf={errorOf} />
            ) : (
              <ShowField definition={definition} record={record} />
            )}
          </Box>
        ))}
      </Box>
    </Box>
  );
};

export default CustomFields;
