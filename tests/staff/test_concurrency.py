"""Two real connections saving the same report from the same version at the same time."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections

from projects import services
from projects.models import ProgressReport


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_one_wins_one_is_refused(project, staff_user, admin_user):
    if connection.vendor == "sqlite":
        pytest.skip("an in-memory SQLite test database is shared by threads, not concurrent; "
                    "the sequential conflict tests cover SQLite")
    report = services.save_progress_report(
        project=project, year=2024, month=3, user=staff_user, version=0,
        data={"completed_investment": Decimal("100")})
    barrier = threading.Barrier(2)
    outcomes = {}

    def attempt(user, amount):
        try:
            barrier.wait()
            services.save_progress_report(
                project=project, year=2024, month=3, user=user, version=report.version,
                data={"completed_investment": Decimal(amount)})
            outcomes[user.username] = "saved"
        except services.ReportConflict:
            outcomes[user.username] = "conflict"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(staff_user, "200")),
               threading.Thread(target=attempt, args=(admin_user, "300"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    report.refresh_from_db()
    winner = next(name for name, result in outcomes.items() if result == "saved")
    assert report.version == 2
    assert report.completed_investment == (Decimal("200") if winner == staff_user.username
                                           else Decimal("300"))
    assert ProgressReport.history.filter(id=report.pk).count() == 2
