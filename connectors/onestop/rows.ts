/** Column readers for one-stop rows: the pool already gives dates as 'YYYY-MM-DD' and bigints as numbers. */
export type Row = Readonly<Record<string, unknown>>;

export const orNull = (value: unknown): unknown => value ?? null;
