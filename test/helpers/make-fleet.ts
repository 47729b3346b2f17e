/** The synthetic fleet of the benchmarks, for the large-fleet tests (one generator, in bench/). */
export { writeFleet, type FleetOptions, type FleetSize } from '../../bench/make-fleet.ts';
