// The pipeline board: one column per stage, a card per opportunity. Dragging a card (mouse, touch, or the
// keyboard: its handle, Space to lift, arrows to move, Space to drop) or choosing a stage in its "Move to…" list changes
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
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { useSearchParams } from 'react-router-dom';
import { failure, readPage, STAGE_LABELS, writePage } from './page-api.js';
import { BACKDROP_STYLE, Notice } from './admin-page-kit.jsx';
import { COLUMN_GAP, COLUMN_WIDTH, Column, DraggedCard } from './pipeline-columns.jsx';

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

// The pointer's column when there is one (a card dragged over a column's empty space), else the largest overlap.
const collision = (args) => {
  const within = pointerWithin(args);
  return within.length > 0 ? within : rectIntersection(args);
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
  // The filters live in the address (?fundId=…&ownerId=…): a reload or a shared link shows the same board.
  const [params, setParams] = useSearchParams();
  const fundId = params.get('fundId') ?? '';
  const ownerId = params.get('ownerId') ?? '';
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
    return readPage('pipeline', { fundId, ownerId })
      .then((data) => ticket === asked.current && setBoard(data))
      .catch((err) => ticket === asked.current && setBoard((b) => b ?? { error: failure(err).message }));
  }, [fundId, ownerId]);
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
    const next = new URLSearchParams(params);
    if (event.target.value) next.set(name, event.target.value);
    else next.delete(name);
    setParams(next, { replace: true });
  };
  const filtered = fundId || ownerId;
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
            Drag a card to another stage — or focus its ⠿ handle, press Space, choose the stage with ← →,
            press Space — or use its “Move to…” list.
          </Text>
        </Box>
        <Box flex alignItems="center" style={{ gap: 12 }}>
          <label style={{ fontSize: 13 }}>
            Fund{' '}
            <select value={fundId} onChange={setFilter('fundId')} data-testid="filter-fund">
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
            <select value={ownerId} onChange={setFilter('ownerId')} data-testid="filter-owner">
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
      <Notice notice={notice} onClose={() => setNotice(null)} testId="board-notice" />
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
