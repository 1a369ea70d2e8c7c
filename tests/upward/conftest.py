from tests.api.conftest import other_park, seeded  # noqa: F401 (fixtures)
from tests.dashboard.conftest import small_park  # noqa: F401 (fixture)
