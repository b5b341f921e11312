// Spaced review: every graded (模拟面试) or marked (已掌握 / 需复习) question gets its next review date
// from FSRS, the Free Spaced Repetition Scheduler: FSRS-6 as implemented by ts-fsrs 5.4.2 (pinned in
// package-lock.json, checked 2026-12-06; served from assets/vendor/ by scripts/hooks/assets.py).
// FSRS's memory model (stability, difficulty, retrievability) comes from Ye, Su & Cao, "A Stochastic
// Shortest Path Algorithm for Optimizing Spaced Repetition Scheduling", KDD 2022
// (doi:10.1145/3534678.3539081); the FSRS-6 formulas and default parameters are documented in the
// open-spaced-repetition fsrs4anki wiki, "The Algorithm".
// Loaded only where it is used: by assets/js/mock.js, and by practice.js when a reader marks a question.
// Storage (localStorage, key mjbg.review, read by practice.js for the home page's 今日待复习): one ts-fsrs
// Card per question id, as JSON (dates as ISO strings), exactly what the scheduler needs to resume.
import { createEmptyCard, fsrs, Rating } from "../vendor/ts-fsrs/index.mjs";

// FSRS-6 default parameters (90 % target retention, no fuzz), with one 10-minute learning step instead
// of two (1 min, 10 min): with the default steps, Good on a new question would bring it back in 10
// minutes; with one step it moves straight to review (due in 2 days), while Again and Hard keep it
// for later the same day.
const scheduler = fsrs({ learning_steps: ["10m"] });

// The reader's grades and marks as FSRS ratings. 会 is Good, not Easy: in FSRS, Good is a correct
// recall and Easy an effortless one, whose first interval is 8 days instead of 2; an interview
// answer the reader could give should come back soon enough to stay fresh.
export const RATINGS = {
  good: Rating.Good,    // 会, 已掌握
  hard: Rating.Hard,    // 模糊
  again: Rating.Again,  // 不会, 需复习
};

// Reviews question `id` now with rating `grade` (a key of RATINGS); returns the new card.
export function review(id, grade, now = new Date()) {
  const { read, write, keys } = window.mjbg;
  const cards = read(keys.review, {});
  const card = scheduler.next(cards[id] || createEmptyCard(now), now, RATINGS[grade]).card;
  cards[id] = card;
  write(keys.review, cards);
  return card;
}
