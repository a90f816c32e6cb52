// The pipeline board: one column per stage, a card per opportunity. Dragging a card (mouse, touch, or the
// keyboard: Space to lift, arrows to move, Space to drop) or choosing a stage in its "Move to…" list changes
// the stage through the page handler (admin/pages/pipeline.page.ts), i.e. OpportunitiesService.changeStage.
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { Box, Button, H2, Label, MessageBox, Text, TextArea } from '@adminjs/design-system';
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { formatMoney } from './Money.jsx';
import { failure, readPage, recordPath, STAGE_LABELS, writePage } from './page-api.js';
import { BACKDROP_STYLE } from './admin-page-kit.jsx';

const COLUMN_WIDTH = 236;
const COLUMN_GAP = 12;

/** With the keyboard, ← and → move a lifted card by one whole column (dnd-kit's default is 25 px). */
const byColumn = (event, { currentCoordinates }) => {
  const step = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] }[event.code];
  if (!step) return undefined;
  event.preventDefault();
  return {
    x: currentCoordinates.x + step[0] * (COLUMN_WIDTH + COLUMN_GAP),
    y: currentCoordinates.y + step[1] * 60,
  };
};

const cardName = (active) => active?.data.current?.card.name ?? 'the card';
const stageName = (over) => (over ? STAGE_LABELS[over.id] : 'no stage');

/** What screen readers hear while a card moves: names, not ids. */
const announcements = {
  onDragStart: ({ active }) => `Picked up ${cardName(active)}. Use the arrow keys to choose a stage.`,
  onDragOver: ({ active, over }) => `${cardName(active)} is over ${stageName(over)}.`,
  onDragEnd: ({ active, over }) =>
    over ? `${cardName(active)} was dropped on ${stageName(over)}.` : `${cardName(active)} was put back.`,
  onDragCancel: ({ active }) => `Moving ${cardName(active)} was cancelled; it stays where it was.`,
};

const money = (amount, currency) => formatMoney(Math.round(amount), currency);

// Deals without an amount count in the column's number, not in its sums: a "$0" would read as a real total.
const totalsText = (totals) => {
  const sums = totals.filter((t) => t.amount !== 0);
  return sums.length === 0 ? '—' : sums.map((t) => money(t.amount, t.currency)).join(' · ');
};

// The pointer's column when there is one (a card dragged over a column's empty space), else the largest overlap.
const collision = (args) => {
  const within = pointerWithin(args);
  return within.length > 0 ? within : rectIntersection(args);
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
const DraggedCard = ({ card }) => (
  <div style={{ ...cardStyle, cursor: 'grabbing', boxShadow: '0 10px 24px rgba(28, 36, 48, 0.28)' }}>
    <CardFace card={card} title={<span style={titleStyle}>{card.name}</span>} />
  </div>
);

const Card = ({ card, onMove, busy }) => {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({
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
      {...attributes}
      {...listeners}
      aria-roledescription="draggable opportunity"
      aria-label={`${card.name}, ${STAGE_LABELS[card.stage]}`}
      data-testid="board-card"
      data-id={card.id}
    >
      <CardFace
        card={card}
        title={
          <a
            href={recordPath('opportunity', card.id)}
            onPointerDown={stop}
            onKeyDown={stop}
            style={titleStyle}
          >
            {card.name}
          </a>
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

const Column = ({ column, onMove, busy }) => {
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

/** Asks why a deal was lost (the service refuses lost without a reason). Escape or Cancel keeps the card. */
const LostDialog = ({ card, onCancel, onConfirm }) => {
  const [reason, setReason] = useState('');
  const input = useRef(null);
  useEffect(() => input.current?.focus(), []);
  const submit = (event) => {
    event.preventDefault();
    if (reason.trim()) onConfirm(reason.trim());
  };
  return (
    <div role="presentation" onKeyDown={(e) => e.key === 'Escape' && onCancel()} style={BACKDROP_STYLE}>
      <form
        role="dialog"
        aria-modal="true"
        aria-labelledby="lost-title"
        onSubmit={submit}
        data-testid="lost-dialog"
        style={{ background: 'white', borderRadius: 8, padding: 24, width: 440, maxWidth: '90vw' }}
      >
        <h2 id="lost-title" style={{ fontSize: 18, margin: '0 0 8px' }}>
          Mark “{card.name}” as lost
        </h2>
        <Label htmlFor="lost-reason" required>
          Why was it lost?
        </Label>
        <TextArea
          id="lost-reason"
          ref={input}
          value={reason}
          maxLength={2000}
          rows={4}
          width="100%"
          onChange={(e) => setReason(e.target.value)}
        />
        <Box flex justifyContent="flex-end" mt="lg" style={{ gap: 8 }}>
          <Button type="button" variant="outlined" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" variant="contained" disabled={!reason.trim()} data-testid="lost-confirm">
            Mark as lost
          </Button>
        </Box>
      </form>
    </div>
  );
};

const PipelineBoard = () => {
  const [board, setBoard] = useState(null);
  const [filters, setFilters] = useState({ fundId: '', ownerId: '' });
  const [notice, setNotice] = useState(null);
  const [lost, setLost] = useState(null);
  const [busy, setBusy] = useState(false);
  const [dragged, setDragged] = useState(null);
  const sensors = useSensors(
    // A click on the card's link or list is not a drag: only a move of 6 px starts one.
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: byColumn }),
  );

  // Only the latest answer is shown: with quick filter changes, an older one may arrive last.
  const asked = useRef(0);
  const load = useCallback(() => {
    const ticket = ++asked.current;
    return readPage('pipeline', filters)
      .then((data) => ticket === asked.current && setBoard(data))
      .catch((err) => ticket === asked.current && setBoard((b) => b ?? { error: failure(err).message }));
  }, [filters]);
  useEffect(() => {
    load();
  }, [load]);

  // The notice comes with the refreshed board, so what it says is what the board shows.
  const move = async (card, stage, lostReason) => {
    setBusy(true);
    setNotice(null);
    let outcome;
    try {
      const { data } = await writePage('pipeline', 'move', {
        id: card.id,
        stage,
        version: card.version,
        ...(lostReason ? { lostReason } : {}),
      });
      outcome = { variant: 'success', text: `“${data.name}” moved to ${STAGE_LABELS[data.stage]}.` };
    } catch (err) {
      const { status, message } = failure(err);
      outcome = {
        variant: 'danger',
        text:
          status === 409
            ? `“${card.name}” was changed by someone else meanwhile; the board now shows it as it is. Move it again if you still want to.`
            : message,
      };
    }
    await load();
    setNotice(outcome);
    setBusy(false);
  };

  const askOrMove = (card, stage) => {
    if (stage === card.stage) return;
    if (stage === 'lost') setLost({ card });
    else move(card, stage);
  };

  const onDragEnd = ({ active, over }) => {
    setDragged(null);
    if (!over) return;
    askOrMove(active.data.current.card, String(over.id));
  };

  const setFilter = (name) => (event) => {
    setNotice(null);
    setFilters((f) => ({ ...f, [name]: event.target.value }));
  };
  const filtered = filters.fundId || filters.ownerId;
  const empty = board?.columns && board.columns.every((c) => c.count === 0);

  return (
    <Box
      p="lg"
      data-testid="pipeline-board"
      aria-busy={busy || board === null}
      style={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}
    >
      <Box
        flex
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
        mb="default"
        style={{ gap: 12 }}
      >
        <Box>
          <H2 mb="sm">Pipeline board</H2>
          <Text color="grey60" style={{ fontSize: 12 }}>
            Drag a card to another stage — or focus it, press Space, choose the stage with ← →, press Space —
            or use its “Move to…” list.
          </Text>
        </Box>
        <Box flex alignItems="center" style={{ gap: 12 }}>
          <label style={{ fontSize: 13 }}>
            Fund{' '}
            <select value={filters.fundId} onChange={setFilter('fundId')} data-testid="filter-fund">
              <option value="">All funds</option>
              {(board?.funds ?? []).map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name}
                </option>
              ))}
            </select>
          </label>
          <label style={{ fontSize: 13 }}>
            Owner{' '}
            <select value={filters.ownerId} onChange={setFilter('ownerId')} data-testid="filter-owner">
              <option value="">Everyone</option>
              {(board?.owners ?? []).map((u) => (
                <option key={u.id} value={u.id}>
                  {u.fullName}
                </option>
              ))}
            </select>
          </label>
        </Box>
      </Box>
      <div aria-live="polite">
        {notice ? (
          <MessageBox
            mb="default"
            variant={notice.variant}
            message={notice.text}
            onCloseClick={() => setNotice(null)}
            data-testid="board-notice"
          />
        ) : null}
      </div>
      {board === null ? (
        <Text data-testid="board-loading">Loading the pipeline…</Text>
      ) : board.error ? (
        <MessageBox variant="danger" message={board.error} />
      ) : (
        <>
          {empty ? (
            <Text color="grey60" mb="default" data-testid="board-empty">
              {filtered
                ? 'No opportunities match these filters.'
                : 'No opportunities yet: create one under Fundraising → Opportunities.'}
            </Text>
          ) : null}
          <DndContext
            sensors={sensors}
            collisionDetection={collision}
            onDragStart={({ active }) => setDragged(active.data.current.card)}
            onDragEnd={onDragEnd}
            onDragCancel={() => setDragged(null)}
            accessibility={{ announcements }}
          >
            <div
              data-testid="board-columns"
              style={{
                display: 'flex',
                gap: COLUMN_GAP,
                overflowX: 'auto',
                alignItems: 'stretch',
                height: 'calc(100vh - 200px)',
                minHeight: 320,
                paddingBottom: 8,
                opacity: busy ? 0.75 : 1,
              }}
            >
              {board.columns.map((column) => (
                <Column key={column.stage} column={column} onMove={askOrMove} busy={busy} />
              ))}
            </div>
            <DragOverlay>{dragged ? <DraggedCard card={dragged} /> : null}</DragOverlay>
          </DndContext>
        </>
      )}
      {lost ? (
        <LostDialog
          card={lost.card}
          onCancel={() => setLost(null)}
          onConfirm={(reason) => {
            setLost(null);
            move(lost.card, 'lost', reason);
          }}
        />
      ) : null}
    </Box>
  );
};

export default PipelineBoard;
