import { PeerClock } from './peer-clock';

describe('PeerClock', () => {
  it('is fresh only once this replica heard itself, and while every known peer is heard', () => {
    const clock = new PeerClock('me', 600, 10_000);
    expect(clock.allFresh(0)).toBe(false); // not connected through yet
    clock.heard('me', 0);
    expect(clock.allFresh(100)).toBe(true);
    clock.heard('other', 100);
    clock.heard('me', 500);
    expect(clock.allFresh(700)).toBe(true);
    expect(clock.allFresh(701)).toBe(false); // 'other' silent for 601 ms: its invalidations may be lost
    clock.heard('other', 800);
    expect(clock.allFresh(900)).toBe(true);
  });

  it('forgets a silent peer after forgetMs and a leaving one at once, never itself', () => {
    const clock = new PeerClock('me', 600, 5_000);
    clock.heard('me', 0);
    clock.heard('crashed', 0);
    clock.heard('leaving', 0);
    clock.left('leaving');
    clock.left('me');
    expect(clock.known).toBe(2);
    clock.heard('me', 4_900);
    expect(clock.allFresh(5_000)).toBe(false);
    expect(clock.allFresh(5_001)).toBe(true); // 'crashed' forgotten
    expect(clock.known).toBe(1);
    clock.reset();
    expect(clock.allFresh(5_002)).toBe(false); // after a disconnect it must hear itself again
  });
});
