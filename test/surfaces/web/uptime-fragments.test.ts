import { describe, expect, it, vi } from 'vitest';
import { translator } from '../../../src/i18n/translator.js';
import { UptimeFragments, type UptimeRowData } from '../../../src/surfaces/web/uptime-fragments.js';
import type { ComponentUptimeModel } from '../../../src/surfaces/web/uptime-model.js';

const model = (uptimeText: string) => ({ uptimeText }) as unknown as ComponentUptimeModel;
const text = (rows: Record<string, Buffer>) => Object.fromEntries(Object.entries(rows).map(([id, bytes]) => [id, bytes.toString('utf8')]));

describe('UptimeFragments', () => {
  const en = translator('en').t;
  const de = translator('de').t;

  it('renders a row once per model, name and language, and keeps it while they stay', () => {
    const render = vi.fn((data: UptimeRowData) => `<row ${data.name} ${data.uptime.uptimeText} ${data.t('uptime.today')}>`);
    const fragments = new UptimeFragments(render);
    const a = model('99%');
    const b = model('100%');
    const components = [
      { id: 'a', name: 'API' },
      { id: 'b', name: 'Web' },
      { id: 'c', name: 'Not showcased' },
    ];
    const first = fragments.rows({ a, b }, components, en);
    expect(text(first)).toEqual({ a: '<row API 99% Today>', b: '<row Web 100% Today>' });
    // Kept: the same bytes, not bytes alike.
    const again = fragments.rows({ a, b }, components, en);
    expect(again.a).toBe(first.a);
    expect(again.b).toBe(first.b);
    expect(render).toHaveBeenCalledTimes(2);
    // A new model (what the row shows changed), a new name, another language: rendered again.
    const a2 = model('98%');
    expect(text(fragments.rows({ a: a2, b }, [{ id: 'a', name: 'API' }, { id: 'b', name: 'Website' }], en))).toEqual({ a: '<row API 98% Today>', b: '<row Website 100% Today>' });
    expect(text(fragments.rows({ a: a2 }, [{ id: 'a', name: 'API' }], de))).toEqual({ a: `<row API 98% ${de('uptime.today')}>` });
    expect(render).toHaveBeenCalledTimes(5);
  });
});
