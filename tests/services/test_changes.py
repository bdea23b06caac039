"""Two writers of one document: the second waits for the first's commit before its change
gets an id, so a poller can never pass over a change that commits late."""
from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from annotations import services


@pytest.mark.django_db(transaction=True)
def test_second_writer_waits_for_first_commit(people, document, paragraph):
    """While A's span is uncommitted, B's write blocks on the document's change lock; the feed then lists A before B."""
    from annotations.models import ChangeEvent
    from annotations.selectors.collaboration import changes_since

    holding, release, errors = threading.Event(), threading.Event(), []

    def first_writer():
        try:
            with transaction.atomic():
                services.annotation_create(paragraph=paragraph, layer=None, user=people["annotator"], start=0, end=4,
                                           label="claim", quote="Cats")
                holding.set()
                release.wait(120)
        except Exception as error:  # reported to the main thread
            errors.append(error)
        finally:
            connections.close_all()

    def second_writer():
        try:
            services.annotation_create(paragraph=paragraph, layer=None, user=people["annotator_b"], start=5, end=8,
                                       label="claim", quote="are")
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    start = changes_since(document=document, user=people["viewer"], since=None)["cursor"]
    first = threading.Thread(target=first_writer)
    first.start()
    assert holding.wait(120)
    second = threading.Thread(target=second_writer)
    second.start()
    blocked = False
    for _ in range(1200):  # until B is seen waiting for the advisory lock (bounded, not timed: at most a minute)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())"
            )
            if cursor.fetchone()[0]:
                blocked = True
                break
        time.sleep(0.05)
    assert blocked, "the second writer never waited for the change lock"
    assert changes_since(document=document, user=people["viewer"], since=start)["events"] == []
    release.set()
    first.join(120)
    second.join(120)
    assert errors == []
    events = changes_since(document=document, user=people["viewer"], since=start)["events"]
    assert [(e["actor"], e["data"]["quote"]) for e in events] == [("annotator", "Cats"), ("annotator_b", "are")]
    assert ChangeEvent.objects.filter(document=document).count() == 2
