"""The staff-workflow fixtures (an assigned enterprise, a demand) for the home page tests."""

from tests.staff.conftest import demand, enterprise, other_enterprise  # noqa: F401
