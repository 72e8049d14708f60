"""Settings shared by the property tests: ``NVO_FUZZ_SCALE=N`` multiplies their examples for a longer run."""

import os

from hypothesis import HealthCheck, settings

SCALE = int(os.environ.get("NVO_FUZZ_SCALE", "1"))


def fuzz(examples: int):
    # Inputs are large on purpose (100k-character lines), so Hypothesis's size and speed checks do not apply.
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
