import type { IncidentRow, ListedUpdate } from '../../modules/incidents/index.js';
import { incidentCard, type IncidentCardModel } from './incident-model.js';
import type { PageContext } from './route-kit.js';

/** How the status page makes an incident's card: afresh (`incidentCard`), or through a memo of them. */
export type IncidentCardOf = typeof incidentCard;

interface Held {
  /** The language, zone and component names the card was made with. */
  key: string;
  updates: readonly ListedUpdate[];
  card: IncidentCardModel;
}

const sameItems = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((item, i) => item === b[i]);

/**
 * The status page's cards of resolved incidents, kept between renders. The page's incident
 * rows are kept between renders too (KeptStatusPageRows: the same objects until a write moves
 * the incidents' number), and a resolved incident's card says nothing that moves with the clock:
 * made from the same row, the same updates, names, language and zone, it is the same card. At
 * 50 components and 1,000 incidents the cards of the fortnight's incidents were a tenth of a
 * re-render after a component's status change. An unresolved incident's card says how long it
 * has lasted so far, so it is made afresh each time.
 */
export class IncidentCardMemo {
  private readonly held = new WeakMap<IncidentRow, Held>();
  /** The key of the last map of names asked about: every card of a render asks with the same one. */
  private names: { map: ReadonlyMap<string, string> | null; key: string } = { map: null, key: '' };

  readonly cardOf: IncidentCardOf = (incident, updates, componentNames, ctx) => {
    if (incident.resolvedAt === null) return incidentCard(incident, updates, componentNames, ctx);
    const key = this.keyOf(componentNames, ctx);
    const held = this.held.get(incident);
    if (held?.key === key && sameItems(held.updates, updates)) return held.card;
    const card = incidentCard(incident, updates, componentNames, ctx);
    this.held.set(incident, { key, updates, card });
    return card;
  };

  private keyOf(componentNames: ReadonlyMap<string, string>, ctx: PageContext): string {
    if (this.names.map !== componentNames) {
      // In page order: a card lists the components it touched in it.
      this.names = { map: componentNames, key: [...componentNames].map(([id, name]) => `${id}\u0000${name}`).join('\u0001') };
    }
    return `${ctx.i18n.lang}|${ctx.timeZone}|${this.names.key}`;
  }
}
