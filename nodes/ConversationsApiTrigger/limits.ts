/** Bounds of the trigger's numeric options. */
export const MAX_WATCH_COUNT = 1000;
export const MAX_LOOKBACK_MINUTES = 10_080;
