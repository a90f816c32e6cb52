// The pipeline board's columns and cards (PipelineBoard.jsx): a column per stage with its count and totals,
// a card per opportunity that can be dragged (dnd-kit) or moved with its "Move to…" list.
import React from 'react';
import { Box, Text } from '@adminjs/design-system';
import { useDraggable, useDroppable } from '@dnd-kit/core';
import { formatMoney } from './Money.jsx';
import { recordPath, STAGE_LABELS } from './page-api.js';

export const COLUMN_WIDTH = 236;
export const COLUMN_GAP = 12;

const money = (amount, currency) => formatMoney(Math.round(amount), currency);

// Deals without an amount count in the column's number, not in its sums: a "$0" would read as a real total.
const totalsText = (totals) => {
  const sums = totals.filter((t) => t.amount !== 0);
  return sums.length === 0 ? '—' : sums.map((t) => money(t.amount, t.currency)).join(' · ');
};

const stop = (event) => event.stopPropagation();

const cardStyle = {
  background: 'white',
  border: '1px solid #dfe3ea',
  borderRadius: 6,
  padding: '8px 10px',
  marginBottom: 8,
};

/**
 * What a card shows. `title` is the name (a link on the board, plain text on the card being dragged) and
 * `action` what sits beside the owner (the "Move to…" list on the board).
 */
const CardFace = ({ card, title, action }) => (
  <>
    {title}
    <Text color="grey60" style={{ fontSize: 12 }}>
      {card.organization?.name ?? card.contact?.name ?? 'No organization'}
    </Text>
    <Box flex justifyContent="space-between" mt="sm" style={{ fontSize: 12 }}>
      <span style={{ fontWeight: 500 }}>
        {card.expectedAmount === null ? 'No amount' : money(card.expectedAmount, card.currency)}
      </span>
      <span title={`In ${STAGE_LABELS[card.stage]} since ${String(card.stageChangedAt).slice(0, 10)}`}>
        {card.daysInStage} {card.daysInStage === 1 ? 'day' : 'days'}
      </span>
    </Box>
    <Box
      flex
      justifyContent="space-between"
      alignItems="center"
      mt="sm"
      style={{ fontSize: 12, minHeight: 22 }}
    >
      <span style={{ color: '#5c6b80', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
        {card.owner ? card.owner.fullName : 'No owner'}
      </span>
      {action}
    </Box>
  </>
);

const titleStyle = { fontWeight: 500, color: '#1f4e79', textDecoration: 'none', display: 'block' };

/** The card under the pointer while dragging: drawn above every column (a column clips its own cards). */
export const DraggedCard = ({ card }) => (
  <div style={{ ...cardStyle, cursor: 'grabbing', boxShadow: '0 10px 24px rgba(28, 36, 48, 0.28)' }}>
    <CardFace card={card} title={<span style={titleStyle}>{card.name}</span>} />
  </div>
);

const handleStyle = {
  border: 'none',
  background: 'transparent',
  color: '#4b5563',
  cursor: 'grab',
  padding: '0 2px',
  fontSize: 16,
  lineHeight: 1,
  flex: '0 0 auto',
};

/**
 * A card: the mouse or a finger drags it from anywhere but its link and list; the keyboard lifts it with its
 * handle (a button of its own, so the link and the list are not nested in something that acts as a button).
 */
const Card = ({ card, onMove, busy }) => {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({
    id: card.id,
    data: { card },
    disabled: busy,
  });
  return (
    <div
      ref={setNodeRef}
      style={{
        ...cardStyle,
        cursor: busy ? 'progress' : 'grab',
        opacity: isDragging ? 0.4 : 1,
        touchAction: 'none',
      }}
      onPointerDown={listeners?.onPointerDown}
      data-testid="board-card"
      data-id={card.id}
    >
      <CardFace
        card={card}
        title={
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 6 }}>
            <a
              href={recordPath('opportunity', card.id)}
              onPointerDown={stop}
              onKeyDown={stop}
              style={titleStyle}
            >
              {card.name}
            </a>
            <button
              type="button"
              ref={setActivatorNodeRef}
              {...attributes}
              onKeyDown={listeners?.onKeyDown}
              aria-roledescription="draggable opportunity"
              aria-label={`Move ${card.name}, now in ${STAGE_LABELS[card.stage]}`}
              data-testid="card-handle"
              style={handleStyle}
            >
              <span aria-hidden="true">⠿</span>
            </button>
          </div>
        }
        action={
          <select
            aria-label={`Move ${card.name} to…`}
            value=""
            disabled={busy}
            onPointerDown={stop}
            onKeyDown={stop}
            onChange={(e) => e.target.value && onMove(card, e.target.value)}
            data-testid="move-to"
            style={{ fontSize: 12, maxWidth: 104, marginLeft: 6 }}
          >
            <option value="">Move to…</option>
            {Object.entries(STAGE_LABELS)
              .filter(([stage]) => stage !== card.stage)
              .map(([stage, label]) => (
                <option key={stage} value={stage}>
                  {label}
                </option>
              ))}
          </select>
        }
      />
    </div>
  );
};

export const Column = ({ column, onMove, busy }) => {
  const { setNodeRef, isOver } = useDroppable({ id: column.stage });
  const hidden = column.count - column.cards.length;
  return (
    <section
      ref={setNodeRef}
      aria-label={`${STAGE_LABELS[column.stage]}: ${column.count} opportunities`}
      data-testid={`column-${column.stage}`}
      style={{
        flex: `0 0 ${COLUMN_WIDTH}px`,
        display: 'flex',
        flexDirection: 'column',
        background: isOver ? '#e3ecf5' : '#f1f3f7',
        border: isOver ? '2px dashed #2f6496' : '2px solid transparent',
        borderRadius: 8,
        minHeight: 0,
      }}
    >
      <header style={{ padding: '10px 10px 6px' }}>
        <Box flex justifyContent="space-between" alignItems="baseline">
          <h3 style={{ fontSize: 14, fontWeight: 600, margin: 0 }}>{STAGE_LABELS[column.stage]}</h3>
          <span data-testid="column-count" style={{ fontSize: 12, color: '#5c6b80' }}>
            {column.count}
          </span>
        </Box>
        <div data-testid="column-totals" style={{ fontSize: 12, color: '#3b4656', marginTop: 2 }}>
          {totalsText(column.totals)}
        </div>
      </header>
      <div style={{ overflowY: 'auto', padding: '0 8px 8px', flex: 1, minHeight: 40 }}>
        {column.cards.length === 0 ? (
          <Text color="grey60" style={{ fontSize: 12, padding: '12px 2px' }}>
            No opportunities
          </Text>
        ) : (
          column.cards.map((card) => <Card key={card.id} card={card} onMove={onMove} busy={busy} />)
        )}
        {hidden > 0 ? (
          <a
            href={`/admin/resources/Opportunity?filters.stage=${column.stage}`}
            style={{ fontSize: 12, display: 'block', padding: '4px 2px' }}
          >
            {hidden} more in the list…
          </a>
        ) : null}
      </div>
    </section>
  );
};
