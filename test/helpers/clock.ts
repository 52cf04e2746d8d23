/** A clock tests move by hand, handed to the app as its `now`. */
export class TestClock {
  private current: number;

  constructor(start: string | Date = '2026-11-24T10:00:00Z') {
    this.current = new Date(start).getTime();
  }

  now = (): Date => new Date(this.current);

  advance(ms: number): Date {
    this.current += ms;
    return this.now();
  }

  advanceSeconds(seconds: number): Date {
    return this.advance(seconds * 1000);
  }

  set(at: string | Date): void {
    this.current = new Date(at).getTime();
  }
}
