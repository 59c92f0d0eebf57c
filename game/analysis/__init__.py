"""Analysis at scale: sweeps of scenario variants over policies and seeds, and scenario expectations.

Headless like `game.play`: nothing here imports pygame. Dask and pyarrow are optional and imported
only inside the functions that use them.
"""
