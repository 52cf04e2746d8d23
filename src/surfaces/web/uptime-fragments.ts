import type { Translator } from '../../i18n/translator.js';
import type { ComponentUptimeModel } from './uptime-model.js';

/** What the uptime partial (views/partials/uptime.eta) is rendered with. */
export interface UptimeRowData {
  uptime: ComponentUptimeModel;
  name: string;
  t: Translator['t'];
}

/** Renders the uptime partial to HTML, synchronously. */
export type RenderUptimeRow = (data: UptimeRowData) => string;

/**
 * Each showcased component's uptime row as encoded HTML, kept with the row's model. The models are
 * kept between renders (UptimeModelMemo: one per component and language, made again only when
 * what they show changed), so a kept model with the same name and words makes the same markup:
 * the page's template pastes it in instead of rendering 90 days of every component again. At
 * 200 components the rows were nine tenths of the template's time.
 */
export class UptimeFragments {
  private readonly kept = new WeakMap<ComponentUptimeModel, { name: string; t: Translator['t']; bytes: Buffer }>();

  constructor(private readonly render: RenderUptimeRow) {}

  /**
   * Each component's row, by id: kept where its model, name and language are those it was made
   * with. In bytes: the page pastes them in as they are (RenderResult.fragments), and half of
   * its bytes are not encoded again at every render.
   */
  rows(uptime: Readonly<Record<string, ComponentUptimeModel>>, components: ReadonlyArray<{ id: string; name: string }>, t: Translator['t']): Record<string, Buffer> {
    const rows: Record<string, Buffer> = {};
    for (const { id, name } of components) {
      const model = uptime[id];
      if (!model) continue;
      let kept = this.kept.get(model);
      if (!kept || kept.name !== name || kept.t !== t) {
        kept = { name, t, bytes: Buffer.from(this.render({ uptime: model, name, t }), 'utf8') };
        this.kept.set(model, kept);
      }
      rows[id] = kept.bytes;
    }
    return rows;
  }
}
