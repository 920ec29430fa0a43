import { textTable } from './text-table';

describe('textTable', () => {
  it('pads every column but the last to its widest cell, two spaces apart, no trailing spaces', () => {
    const text = textTable(
      ['MODEL', 'VERSION', 'REASON'],
      [
        ['credit_risk', '1', ''],
        ['m', '12', 'failed to load'],
      ],
    );
    expect(text.split('\n')).toEqual([
      'MODEL        VERSION  REASON',
      'credit_risk  1',
      'm            12       failed to load',
    ]);
  });
});
