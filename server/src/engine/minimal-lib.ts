/**
 * A minimal standard library for the type checker: enough for the checker to follow arrays,
 * promises, records and JSON through a program, without the cost of loading lib.es20xx.d.ts.
 */
export const MINIMAL_LIB = `
interface Object {}
interface Function { apply(this: Function, thisArg: any, argArray?: any): any; call(this: Function, thisArg: any, ...argArray: any[]): any; bind(this: Function, thisArg: any, ...argArray: any[]): any; }
interface CallableFunction extends Function {}
interface NewableFunction extends Function {}
interface IArguments { length: number; [index: number]: any; }
interface String { length: number; toString(): string; trim(): string; toLowerCase(): string; toUpperCase(): string; slice(start?: number, end?: number): string; split(separator: string | RegExp): string[]; replace(a: any, b: any): string; includes(s: string): boolean; startsWith(s: string): boolean; padStart(n: number, s?: string): string; }
interface Number { toString(radix?: number): string; toFixed(d?: number): string; }
interface Boolean {}
interface RegExp { test(s: string): boolean; exec(s: string): any; }
interface Symbol {}
interface Date { toISOString(): string; getTime(): number; }
declare var Date: { new (value?: any): Date; now(): number; };
interface Error { name: string; message: string; stack?: string; }
declare var Error: { new (message?: string, options?: any): Error; (message?: string): Error; };
interface ReadonlyArray<T> { readonly length: number; readonly [n: number]: T; map<U>(fn: (value: T, index: number, array: readonly T[]) => U): U[]; filter(fn: (value: T, index: number) => unknown): T[]; find(fn: (value: T, index: number) => unknown): T | undefined; forEach(fn: (value: T, index: number) => void): void; some(fn: (value: T) => unknown): boolean; every(fn: (value: T) => unknown): boolean; join(separator?: string): string; slice(start?: number, end?: number): T[]; includes(value: T): boolean; reduce<U>(fn: (acc: U, value: T, index: number) => U, initial: U): U; flatMap<U>(fn: (value: T, index: number) => U | readonly U[]): U[]; }
interface Array<T> { length: number; [n: number]: T; push(...items: T[]): number; pop(): T | undefined; map<U>(fn: (value: T, index: number, array: T[]) => U): U[]; filter(fn: (value: T, index: number) => unknown): T[]; find(fn: (value: T, index: number) => unknown): T | undefined; forEach(fn: (value: T, index: number) => void): void; some(fn: (value: T) => unknown): boolean; every(fn: (value: T) => unknown): boolean; join(separator?: string): string; slice(start?: number, end?: number): T[]; includes(value: T): boolean; reduce<U>(fn: (acc: U, value: T, index: number) => U, initial: U): U; flatMap<U>(fn: (value: T, index: number) => U | readonly U[]): U[]; concat(...items: (T | T[])[]): T[]; sort(fn?: (a: T, b: T) => number): T[]; entries(): any; }
interface ArrayConstructor { isArray(value: any): value is any[]; from<T>(value: any): T[]; new <T>(...items: T[]): T[]; }
declare var Array: ArrayConstructor;
interface PromiseLike<T> { then<R1 = T, R2 = never>(onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null): PromiseLike<R1 | R2>; }
interface Promise<T> { then<R1 = T, R2 = never>(onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onrejected?: ((reason: any) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2>; catch<R = never>(onrejected?: ((reason: any) => R | PromiseLike<R>) | null): Promise<T | R>; finally(fn?: () => void): Promise<T>; }
interface PromiseConstructor { new <T>(executor: (resolve: (value: T) => void, reject: (reason?: any) => void) => void): Promise<T>; all<T extends readonly unknown[] | []>(values: T): Promise<{ -readonly [P in keyof T]: Awaited<T[P]> }>; resolve<T>(value: T): Promise<Awaited<T>>; resolve(): Promise<void>; }
declare var Promise: PromiseConstructor;
interface TemplateStringsArray extends ReadonlyArray<string> { readonly raw: readonly string[]; }
interface JSON { stringify(value: any, replacer?: any, space?: string | number): string; parse(text: string): any; }
declare var JSON: JSON;
interface ObjectConstructor { keys(o: object): string[]; values<T>(o: { [s: string]: T }): T[]; entries<T>(o: { [s: string]: T }): [string, T][]; assign<T extends {}, U>(target: T, source: U): T & U; freeze<T>(o: T): Readonly<T>; fromEntries<T = any>(entries: Iterable<readonly [PropertyKey, T]>): { [k: string]: T }; }
declare var Object: ObjectConstructor;
interface Iterable<T> {}
interface Map<K, V> { get(key: K): V | undefined; set(key: K, value: V): this; has(key: K): boolean; values(): Iterable<V>; }
declare var Map: { new <K, V>(entries?: readonly (readonly [K, V])[] | null): Map<K, V> };
interface Set<T> { add(value: T): this; has(value: T): boolean; }
declare var Set: { new <T>(values?: readonly T[] | null): Set<T> };
declare var String: { (value?: any): string; new (value?: any): String };
declare var Number: { (value?: any): number; new (value?: any): Number; isFinite(n: unknown): boolean };
declare var Boolean: { (value?: any): boolean };
type PropertyKey = string | number | symbol;
type Partial<T> = { [P in keyof T]?: T[P] };
type Required<T> = { [P in keyof T]-?: T[P] };
type Readonly<T> = { readonly [P in keyof T]: T[P] };
type Pick<T, K extends keyof T> = { [P in K]: T[P] };
type Record<K extends keyof any, T> = { [P in K]: T };
type Exclude<T, U> = T extends U ? never : T;
type Extract<T, U> = T extends U ? T : never;
type Omit<T, K extends keyof any> = Pick<T, Exclude<keyof T, K>>;
type NonNullable<T> = T & {};
type Parameters<T extends (...args: any) => any> = T extends (...args: infer P) => any ? P : never;
type ReturnType<T extends (...args: any) => any> = T extends (...args: any) => infer R ? R : any;
type InstanceType<T extends abstract new (...args: any) => any> = T extends abstract new (...args: any) => infer R ? R : any;
type Awaited<T> = T extends null | undefined ? T : T extends object & { then(onfulfilled: infer F, ...args: infer _): any } ? F extends ((value: infer V, ...args: infer _) => any) ? Awaited<V> : never : T;
type Uppercase<S extends string> = intrinsic;
type Lowercase<S extends string> = intrinsic;
interface ThisType<T> {}
declare var console: { log(...args: any[]): void; info(...args: any[]): void; warn(...args: any[]): void; error(...args: any[]): void; debug(...args: any[]): void; trace(...args: any[]): void; dir(...args: any[]): void; table(...args: any[]): void };
`;
