"""Test utilities shipped beside the real code: a fault-injecting HTTP proxy for moto's server."""

from linkedin_assets.testing.fault_proxy import FaultProxy, FaultRule

__all__ = ["FaultProxy", "FaultRule"]
