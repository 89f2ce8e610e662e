/**
 * prom-client's registry and metric classes, each from its own module rather than the package
 * index, which also loads the push gateway (Node's `http`/`https`), the cluster aggregator and
 * the default process metrics: code the engine never runs, about 5 MB of the engine process's
 * RSS (hono + prom-client in Deno 2.9: 51.7 MB through the index, 46.7 MB this way).
 * Types come from the package's own declarations.
 * @module
 */
import type * as Prom from "prom-client";
import CounterClass from "prom-client/lib/counter.js";
import GaugeClass from "prom-client/lib/gauge.js";
import HistogramClass from "prom-client/lib/histogram.js";
import RegistryClass from "prom-client/lib/registry.js";

/** prom-client's `Counter`. */
export const Counter: typeof Prom.Counter = CounterClass;
/** prom-client's `Counter`. */
export type Counter = Prom.Counter;
/** prom-client's `Gauge`. */
export const Gauge: typeof Prom.Gauge = GaugeClass;
/** prom-client's `Gauge`. */
export type Gauge = Prom.Gauge;
/** prom-client's `Histogram`. */
export const Histogram: typeof Prom.Histogram = HistogramClass;
/** prom-client's `Histogram`. */
export type Histogram = Prom.Histogram;
/** prom-client's `Registry`. */
export const Registry: typeof Prom.Registry = RegistryClass;
/** prom-client's `Registry`. */
export type Registry = Prom.Registry;
