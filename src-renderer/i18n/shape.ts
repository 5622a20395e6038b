/** The same tree of keys with any strings: what a translation of `T` must be. */
export type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };
