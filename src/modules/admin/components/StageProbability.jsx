// The opportunity form's probability: when the stage changes, the field takes the new stage's default at
// once (lead 10 … funded 100), in view, and the user may change it before saving — what is shown is what
// is saved. The input itself is AdminJS's number input.
import React, { useEffect, useRef } from 'react';
import { Text } from '@adminjs/design-system';
import { BasePropertyComponent } from 'adminjs';
import { COLORS, humanize } from './ui.jsx';

const StageProbability = (props) => {
  const { property, record, onChange } = props;
  const defaults = property.props?.stageDefaults ?? {};
  const stage = record.params.stage;
  const seen = useRef(stage);
  const [changedTo, setChangedTo] = React.useState(null);

  useEffect(() => {
    if (stage === seen.current) return;
    seen.current = stage;
    const value = defaults[stage];
    if (value === undefined) return;
    onChange(property.path, String(value));
    setChangedTo(stage);
  }, [stage]);

  // AdminJS's own input for the field (the same property without this component or its props).
  const plain = { ...property, components: undefined, props: {} };
  return (
    <>
      <BasePropertyComponent {...props} property={plain} />
      {changedTo ? (
        <Text
          data-testid="probability-hint"
          style={{ color: COLORS.muted, fontSize: 12, marginTop: -12, marginBottom: 16 }}
        >
          Set to the {humanize(changedTo)} stage’s default ({defaults[changedTo]}%). Change it if you know
          better.
        </Text>
      ) : null}
    </>
  );
};

export default StageProbability;
