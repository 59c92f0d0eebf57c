"""The numpy turn engine: compiled scenarios, batched world states, the turn pipeline, forecasts,
the causal ledger and scores. Never imports pygame (a test checks it)."""
