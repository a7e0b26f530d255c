"""Benchmark scenario modules: each defines `scenarios(ctx: BenchContext) -> list[Scenario]`."""
